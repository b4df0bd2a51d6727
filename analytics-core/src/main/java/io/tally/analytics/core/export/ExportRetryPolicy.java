package io.tally.analytics.core.export;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff between attempts of one job: {@code first}, then doubling, capped at {@code max}. A store
 * or object store that is down gets time to come back instead of burning every attempt in a second.
 *
 * @param first delay after the first failed attempt, positive
 * @param max longest delay, at least {@code first}
 */
public record ExportRetryPolicy(Duration first, Duration max) {
  /** 5 s, 10 s, 20 s … capped at 5 minutes. */
  public static final ExportRetryPolicy DEFAULT = new ExportRetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5));

  /** Validates. */
  public ExportRetryPolicy {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= max");
    }
  }

  /**
   * @param failedAttempts attempts that have failed so far, at least 1
   * @return how long to wait before the next attempt
   */
  public Duration delayAfter(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be >= 1");
    }
    Duration d = first;
    for (int i = 1; i < failedAttempts && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
