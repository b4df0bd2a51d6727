package io.tally.analytics.core.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides fresh versus stale. A watermark in the future (clock skew between instances) counts as lag 0.
 *
 * @param staleAfter lag above which a read is stale (the alert rule uses 600 s)
 */
public record FreshnessPolicy(Duration staleAfter) {
  /** Validates. */
  public FreshnessPolicy {
    Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative()) {
      throw new IllegalArgumentException("staleAfter must be >= 0");
    }
  }

  /**
   * @param watermark when the rollups last caught up, if ever
   * @param now current time
   * @return the freshness of a read made now
   */
  public Freshness evaluate(Optional<Instant> watermark, Instant now) {
    if (watermark.isEmpty()) {
      return new Freshness(Optional.empty(), 0, FreshnessStatus.STALE);
    }
    long lag = Math.max(0, Duration.between(watermark.get(), now).getSeconds());
    FreshnessStatus status = lag > staleAfter.getSeconds() ? FreshnessStatus.STALE : FreshnessStatus.FRESH;
    return new Freshness(watermark, lag, status);
  }
}
