/** Adapter for cloudstores; implements driven ports from {@code io.tally.analytics.ports}. */
package io.tally.analytics.adapter.cloudstores;
