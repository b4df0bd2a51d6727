package io.tally.analytics.core.freshness;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How stale a read is, attached to every usage and reliability answer.
 *
 * @param lastRollupAt when the rollups last caught up with every ingested event; empty if never
 * @param lagSeconds seconds between that moment and now, {@code >= 0}; 0 when never rolled up
 * @param status fresh when the lag is within the policy, stale otherwise (always stale when never rolled up),
 *     error when part of the organisation's data cannot be rolled up
 * @param reason why the status is {@link FreshnessStatus#ERROR}; present exactly then
 */
public record Freshness(Optional<Instant> lastRollupAt, long lagSeconds, FreshnessStatus status,
    Optional<String> reason) {
  /** Validates. */
  public Freshness {
    Objects.requireNonNull(lastRollupAt, "lastRollupAt");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (lagSeconds < 0) {
      throw new IllegalArgumentException("lagSeconds must be >= 0");
    }
    if ((status == FreshnessStatus.ERROR) != reason.isPresent()) {
      throw new IllegalArgumentException("a reason is given exactly for status error");
    }
  }

  /** A fresh or stale read, without a reason. */
  public Freshness(Optional<Instant> lastRollupAt, long lagSeconds, FreshnessStatus status) {
    this(lastRollupAt, lagSeconds, status, Optional.empty());
  }

  /**
   * @param why what cannot be rolled up, for the reader
   * @return the same watermark and lag with status {@link FreshnessStatus#ERROR}
   */
  public Freshness withError(String why) {
    return new Freshness(lastRollupAt, lagSeconds, FreshnessStatus.ERROR, Optional.of(why));
  }
}
