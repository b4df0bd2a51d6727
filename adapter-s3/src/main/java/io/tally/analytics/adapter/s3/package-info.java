/** Adapter for s3; implements driven ports from {@code io.tally.analytics.ports}. */
package io.tally.analytics.adapter.s3;
