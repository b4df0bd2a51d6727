package io.tally.analytics.adapter.rabbitmq;

import java.util.List;

/**
 * Consecutive messages of one stream for one consumer, handed to the sink in one call. The sink must commit
 * the batch's rows and {@code lastOffset} in one transaction.
 *
 * @param stream stream name
 * @param consumer consumer name (with {@code stream}, the key of the stored offset)
 * @param firstOffset offset of the first message
 * @param lastOffset offset of the last message: the position to commit
 * @param messages the messages, in offset order, never empty
 */
public record StreamBatch(String stream, String consumer, long firstOffset, long lastOffset, List<StreamMessage> messages) {
  public StreamBatch {
    if (stream == null || stream.isBlank()) throw new IllegalArgumentException("stream must not be blank");
    if (consumer == null || consumer.isBlank()) throw new IllegalArgumentException("consumer must not be blank");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) throw new IllegalArgumentException("a batch holds at least one message");
    if (messages.get(0).offset() != firstOffset || messages.get(messages.size() - 1).offset() != lastOffset) {
      throw new IllegalArgumentException("firstOffset/lastOffset must match the messages");
    }
  }

  /** @return number of messages */
  public int size() {
    return messages.size();
  }
}
