package io.tally.analytics.ports.out;

import java.time.Duration;
import java.util.Optional;

/**
 * Who consumes a stream: a lease per (stream, consumer name) with an expiry, so that exactly one of several
 * instances consumes at a time where the broker cannot arrange it (RabbitMQ before 3.11 has no single active
 * consumer). The holder renews before expiry; once the lease has expired, any instance may take it. Expiry is judged
 * by the store's own clock, so instances need not agree on the time.
 */
public interface StreamLeases {
  /**
   * Takes the lease when it is free or expired, or renews it when {@code holder} already holds it.
   *
   * @param stream stream name
   * @param consumer consumer name
   * @param holder this instance's id
   * @param duration how long the lease lasts from now unless renewed, positive
   * @return whether {@code holder} holds the lease now
   */
  boolean acquireOrRenew(String stream, String consumer, String holder, Duration duration);

  /**
   * @param stream stream name
   * @param consumer consumer name
   * @return the instance holding an unexpired lease, empty when none does
   */
  Optional<String> holder(String stream, String consumer);

  /**
   * Gives the lease up at once (a graceful stop), so that another instance need not wait for its expiry; does
   * nothing when {@code holder} does not hold it.
   *
   * @param stream stream name
   * @param consumer consumer name
   * @param holder this instance's id
   */
  void release(String stream, String consumer, String holder);
}
