package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.StreamLeaseToken;
import java.time.Duration;
import java.util.Optional;

/**
 * Who consumes a stream: a lease per (stream, consumer name) with an expiry, so that exactly one of several
 * instances consumes at a time where the broker cannot arrange it (RabbitMQ before 3.11 has no single active
 * consumer). The holder renews before expiry; once the lease has expired, any instance may take it. Expiry is judged
 * by the store's own clock, so instances need not agree on the time.
 *
 * <p>Each taking of the lease gets a new epoch, returned in a {@link StreamLeaseToken}; a renewal must present the
 * token it holds. Two processes started with the same instance id therefore never hold the lease together: the one
 * without the current token waits for the lease to expire like any other standby. A store that also keeps usage
 * events refuses a batch whose token is no longer the lease's ({@code UsageEventStore}).
 */
public interface StreamLeases {
  /**
   * Takes the lease when it is free or expired (with a new epoch, never used before), or renews it when {@code held} is still its
   * token, expired or not (nobody took it meanwhile, so the holder's batches never overlapped another's).
   *
   * @param stream stream name
   * @param consumer consumer name
   * @param holder this instance's id
   * @param held the token this caller obtained last, empty when it holds none
   * @param duration how long the lease lasts from now unless renewed, positive
   * @return the token this caller holds now; empty when another holds the lease
   */
  Optional<StreamLeaseToken> acquireOrRenew(String stream, String consumer, String holder,
      Optional<StreamLeaseToken> held, Duration duration);

  /**
   * @param stream stream name
   * @param consumer consumer name
   * @return the instance holding an unexpired lease, empty when none does
   */
  Optional<String> holder(String stream, String consumer);

  /**
   * Gives the lease up at once (a graceful stop), so that another instance need not wait for its expiry; does
   * nothing when {@code held} is no longer the lease's token.
   *
   * @param held the token this instance holds
   */
  void release(StreamLeaseToken held);
}
