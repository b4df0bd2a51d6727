/** How stale a read is. */
package io.tally.analytics.core.freshness;
