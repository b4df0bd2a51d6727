package io.tally.analytics.core.usage;

import java.util.Objects;

/**
 * A fencing token: the proof that one instance consumes a stream under one taking of its lease. The epoch is new
 * each time the lease changes hands (or is taken again after it lapsed to someone else), so a holder that
 * stalled past its lease carries an epoch the store no longer has and its batches are refused, even when its
 * successor was started with the same instance id.
 *
 * @param stream stream name
 * @param consumer consumer (reference) name
 * @param holder the instance id that took the lease
 * @param epoch which taking of the lease this is, {@code >= 1}
 */
public record StreamLeaseToken(String stream, String consumer, String holder, long epoch) {
  /** Validates. */
  public StreamLeaseToken {
    StreamPosition.requireText(stream, "stream");
    StreamPosition.requireText(consumer, "consumer");
    StreamPosition.requireText(holder, "holder");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1");
    }
  }

  /** @return whether this token and {@code position} name the same stream and consumer */
  public boolean covers(StreamPosition position) {
    Objects.requireNonNull(position, "position");
    return stream.equals(position.stream()) && consumer.equals(position.consumer());
  }
}
