/**
 * RabbitMQ streams adapter (stream protocol, port 5552, stream-client 0.23).
 *
 * <p>{@link io.tally.analytics.adapter.rabbitmq.UsageEventPublisher} lets other JVM services publish usage events
 * with broker-side deduplication; {@link io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer} consumes them in
 * batches into a {@link io.tally.analytics.adapter.rabbitmq.StreamBatchSink} that commits rows and offset in one
 * transaction, resuming from an {@link io.tally.analytics.adapter.rabbitmq.OffsetSource}. See docs/scaling.md and
 * docs/stream-publishing.md.
 */
package io.tally.analytics.adapter.rabbitmq;
