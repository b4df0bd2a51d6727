package io.tally.analytics.ports.service;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers "how stale is this organisation's data" for the read use cases: cache first, store on a miss.
 * A cached watermark can only be older than the stored one, so a cache hit may overstate the lag, never hide it.
 * An organisation with a quarantined hour answers status {@code error} with the reason, whatever its watermark:
 * its answers are known to miss that hour (issue 8: they used to say {@code fresh}).
 */
public final class FreshnessReader {
  /** Quarantined hours counted per read; more are reported as "at least". */
  static final int COUNT_LIMIT = 100;

  private final FreshnessStore store;
  private final FreshnessCache cache;
  private final RollupQuarantine quarantine;
  private final FreshnessPolicy policy;
  private final TimeSource time;

  /**
   * @param store watermarks
   * @param cache cache in front of it ({@link FreshnessCache#none()} for none)
   * @param quarantine hours whose rollup failed
   * @param policy fresh/stale threshold
   * @param time clock
   */
  public FreshnessReader(FreshnessStore store, FreshnessCache cache, RollupQuarantine quarantine,
      FreshnessPolicy policy, TimeSource time) {
    this.store = Objects.requireNonNull(store, "store");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
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
    Freshness freshness = policy.evaluate(watermark, time.now());
    List<QuarantinedHour> failed = quarantine.forOrg(orgId, COUNT_LIMIT);
    return failed.isEmpty() ? freshness : freshness.withError(describe(failed));
  }

  private static String describe(List<QuarantinedHour> failed) {
    QuarantinedHour oldest = failed.get(0);
    String count = failed.size() >= COUNT_LIMIT ? "at least " + COUNT_LIMIT + " hours" : failed.size() == 1
        ? "1 hour" : failed.size() + " hours";
    return count + " quarantined: the rollup of " + oldest.hour().hour() + " failed " + oldest.attempts()
        + " time(s) since " + oldest.firstFailedAt() + " (" + oldest.reason() + "); next attempt at "
        + oldest.nextAttemptAt();
  }
}
