/** Exact (percentile_cont) and sketched (DDSketch) latency percentiles. */
package io.tally.analytics.core.percentile;
