/** Adapter for http; implements driven ports from {@code io.tally.analytics.ports}. */
package io.tally.analytics.adapter.http;
