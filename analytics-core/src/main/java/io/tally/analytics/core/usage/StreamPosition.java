package io.tally.analytics.core.usage;

import java.util.Objects;

/**
 * Where a stream consumer is: the last offset of a batch, committed with the batch's rows so that the consumer
 * resumes at {@code lastOffset + 1} after a restart.
 *
 * @param stream stream name, for example {@code analytics.usage.v1}
 * @param consumer consumer (reference) name
 * @param lastOffset offset of the last message in the batch, {@code >= 0}
 */
public record StreamPosition(String stream, String consumer, long lastOffset) {
  /** Validates. */
  public StreamPosition {
    requireText(stream, "stream");
    requireText(consumer, "consumer");
    if (lastOffset < 0) {
      throw new IllegalArgumentException("lastOffset must be >= 0");
    }
  }

  static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
