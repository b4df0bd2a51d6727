package io.tally.analytics.core.freshness;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How stale a read is, attached to every usage and reliability answer.
 *
 * @param lastRollupAt when the rollups last caught up with every ingested event; empty if never
 * @param lagSeconds seconds between that moment and now, {@code >= 0}; 0 when never rolled up
 * @param status fresh when the lag is within the policy, stale otherwise (always stale when never rolled up)
 */
public record Freshness(Optional<Instant> lastRollupAt, long lagSeconds, FreshnessStatus status) {
  /** Validates. */
  public Freshness {
    Objects.requireNonNull(lastRollupAt, "lastRollupAt");
    Objects.requireNonNull(status, "status");
    if (lagSeconds < 0) {
      throw new IllegalArgumentException("lagSeconds must be >= 0");
    }
  }
}
