package io.tally.analytics.ports.service;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryUsage.UsagePoint;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Recent usage answers (the series and totals, never the authorization, the audit or the freshness, which every
 * request does itself), so that the same question asked again between rollup runs skips the rollup read. An answer
 * is keyed by the organisation, every query parameter and the organisation's watermark as the request saw it, and
 * is served only while it is at most {@code maxAge} old; every rollup run of this instance ({@link
 * #invalidatingAfter}) drops them all. So a rollup by this instance is visible to the next request, and one by
 * another instance (or the {@code tally rollup} command) at most {@code maxAge} late.
 */
public final class UsageAnswers {
  record Key(UUID orgId, Granularity granularity, TimeWindow window, Optional<String> modelId, GroupBy groupBy,
      Optional<Instant> watermark) {
    static Key of(UsageQuery query, Freshness freshness) {
      return new Key(query.orgId(), query.granularity(), query.window(), query.modelId(), query.groupBy(),
          freshness.lastRollupAt());
    }
  }

  record Answer(List<UsagePoint> series, UsageTotals totals) {
    Answer {
      series = List.copyOf(series);
    }
  }

  private final RecentCopies<Key, Answer> copies;

  /**
   * @param maxAge how old an answer may be when served; {@link Duration#ZERO} keeps none
   * @param maxEntries most answers kept, {@code > 0}
   * @param time clock
   */
  public UsageAnswers(Duration maxAge, int maxEntries, TimeSource time) {
    this.copies = new RecentCopies<>(maxAge, maxEntries, time);
  }

  /** @return answers that are never kept: every request reads the rollups */
  public static UsageAnswers none() {
    // Nothing is kept, so the clock is never compared with anything: a fixed one keeps core off the wall clock.
    return new UsageAnswers(Duration.ZERO, 1, () -> Instant.EPOCH);
  }

  Answer get(UsageQuery query, Freshness freshness, Supplier<Answer> read) {
    return copies.get(Key.of(query, freshness), read);
  }

  /** Drops every answer (the rollups changed). */
  public void invalidate() {
    copies.invalidate();
  }

  /**
   * @param rollup the rollup use case
   * @return it, dropping every answer after each run (whatever its outcome: a failed run may have committed steps)
   */
  public RunRollup invalidatingAfter(RunRollup rollup) {
    return command -> {
      try {
        return rollup.run(command);
      } finally {
        invalidate();
      }
    };
  }
}
