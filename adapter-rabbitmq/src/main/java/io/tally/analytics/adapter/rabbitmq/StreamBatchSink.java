package io.tally.analytics.adapter.rabbitmq;

/**
 * Receives consecutive batches from {@link StreamUsageConsumer}. When {@code accept} returns, the batch's rows
 * and its last offset are durably committed together; when it throws, nothing of it counts and the consumer
 * hands the same batch again after a back-off (it never skips a batch and never stores its offset).
 *
 * <p>Invalid messages are the sink's business (dead-letter them with the reason and offset, then commit):
 * throwing on a poison message would retry it forever.
 */
@FunctionalInterface
public interface StreamBatchSink {
  void accept(StreamBatch batch) throws Exception;
}
