/** Adapter for rabbitmq; implements driven ports from {@code io.tally.analytics.ports}. */
package io.tally.analytics.adapter.rabbitmq;
