package io.tally.analytics.adapter.postgres;

import java.util.Objects;

/** The stream position a batch ends at; committed with the rows so the consumer resumes at lastOffset + 1. */
record StreamPosition(String stream, String consumer, long lastOffset) {
  StreamPosition {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(consumer, "consumer");
    if (lastOffset < 0) {
      throw new IllegalArgumentException("lastOffset must be >= 0: " + lastOffset);
    }
  }
}
