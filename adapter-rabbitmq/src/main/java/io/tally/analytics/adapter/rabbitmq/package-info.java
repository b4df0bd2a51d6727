/**
 * RabbitMQ streams adapter (stream protocol, port 5552, stream-client 0.23).
 *
 * <p>{@link io.tally.analytics.adapter.rabbitmq.UsageEventPublisher} lets other JVM services publish usage events
 * with broker-side deduplication; {@link io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer} consumes them in
 * batches into a {@link io.tally.analytics.adapter.rabbitmq.StreamBatchSink} that commits rows and offset in one
 * transaction, resuming from an {@link io.tally.analytics.adapter.rabbitmq.OffsetSource}.
 * {@link io.tally.analytics.adapter.rabbitmq.IngestingBatchSink} is that sink over the ingest use case (one
 * {@code IngestUsageBatch} call per batch, carrying the stream position), and
 * {@link io.tally.analytics.adapter.rabbitmq.StoreOffsetSource} reads the position back from the
 * {@code UsageEventStore}. See docs/scaling.md and docs/stream-publishing.md.
 */
package io.tally.analytics.adapter.rabbitmq;
