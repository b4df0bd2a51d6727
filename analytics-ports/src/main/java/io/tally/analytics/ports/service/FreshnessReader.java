package io.tally.analytics.ports.service;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers "how stale is this organisation's data" for the read use cases: cache first, store on a miss.
 * A cached watermark can only be older than the stored one, so a cache hit may overstate the lag, never hide it.
 */
public final class FreshnessReader {
  private final FreshnessStore store;
  private final FreshnessCache cache;
  private final FreshnessPolicy policy;
  private final TimeSource time;

  /**
   * @param store watermarks
   * @param cache cache in front of it ({@link FreshnessCache#none()} for none)
   * @param policy fresh/stale threshold
   * @param time clock
   */
  public FreshnessReader(FreshnessStore store, FreshnessCache cache, FreshnessPolicy policy, TimeSource time) {
    this.store = Objects.requireNonNull(store, "store");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * @param orgId organisation
   * @return its freshness now
   */
  public Freshness freshness(UUID orgId) {
    Optional<Instant> watermark = cache.get(orgId);
    if (watermark.isEmpty()) {
      watermark = store.lastRollupAt(orgId);
      watermark.ifPresent(at -> cache.put(orgId, at));
    }
    return policy.evaluate(watermark, time.now());
  }
}
