package io.tally.analytics.core.rollup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What happens to an hour whose rollup fails: it is quarantined with the reason ({@link QuarantinedHour}) and
 * retried after a delay that doubles with every failed attempt, from {@code firstDelay} up to {@code maxDelay}.
 * A success releases it. The hour never blocks the others meanwhile; the rollup use case applies this rule, the
 * stores only keep the entries.
 *
 * @param firstDelay delay after the first failure, {@code > 0}
 * @param maxDelay longest delay, {@code >= firstDelay}
 */
public record RollupRetryPolicy(Duration firstDelay, Duration maxDelay) {
  /** Defaults: 30 s after the first failure, doubling, at most 1 h apart. */
  public static final RollupRetryPolicy DEFAULT = new RollupRetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1));

  /** Validates. */
  public RollupRetryPolicy {
    Objects.requireNonNull(firstDelay, "firstDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException("0 < firstDelay <= maxDelay");
    }
  }

  /**
   * @param attempts failed attempts so far, {@code >= 1}
   * @return how long to wait before the next attempt: {@code firstDelay * 2^(attempts - 1)}, at most
   *     {@code maxDelay}
   */
  public Duration delayAfter(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1");
    }
    Duration delay = firstDelay;
    for (int i = 1; i < attempts && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }

  /**
   * @param hour the hour that failed
   * @param reason why
   * @param now when
   * @return its first quarantine entry
   */
  public QuarantinedHour firstFailure(OrgHour hour, String reason, Instant now) {
    return new QuarantinedHour(hour, reason, 1, now, now, now.plus(delayAfter(1)));
  }

  /**
   * @param previous the hour's entry before this attempt
   * @param reason why this attempt failed
   * @param now when
   * @return the entry after one more failed attempt
   */
  public QuarantinedHour failedAgain(QuarantinedHour previous, String reason, Instant now) {
    int attempts = previous.attempts() == Integer.MAX_VALUE ? Integer.MAX_VALUE : previous.attempts() + 1;
    Instant last = now.isBefore(previous.lastFailedAt()) ? previous.lastFailedAt() : now;
    return new QuarantinedHour(previous.hour(), reason, attempts, previous.firstFailedAt(), last,
        last.plus(delayAfter(attempts)));
  }
}
