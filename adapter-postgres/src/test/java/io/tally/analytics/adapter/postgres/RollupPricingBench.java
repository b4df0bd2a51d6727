package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PricePeriod;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.PriceChanges;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.RollupRefresher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.PGConnection;

/**
 * {@code scripts/bench rollup-pricing}: what pricing events from the book costs the rollup refresh (issue 13).
 *
 * <p>In one fresh database ({@code tally_test_rollup_pricing_…}, dropped at the end), two sets of the same events
 * (same tokens, times, latencies; default 200,000 each over 24 hours, 3 models) under different organisations:
 * the reference set carries its own {@code costMicros} (what every event did before), the other carries none and
 * is priced by a book with two price changes inside the day. Timed, back to back in rounds: re-mark every hour of
 * one set dirty and refresh it whole. Prints medians and {@code ratio = book-priced / own-cost}. Also times one
 * price change over the book-priced set (the event scan that marks the hours to re-price).
 *
 * <p>Arguments: {@code --events N} (200,000 per set), {@code --rounds N} (5).
 */
public final class RollupPricingBench {
  private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
  private static final List<String> MODELS = List.of("llama-3-70b", "mistral-7b", "qwen-14b");
  private static final String MARK_SET =
      """
      INSERT INTO analytics.dirty_hours (org_id, bucket_start)
      SELECT DISTINCT org_id, timestamptz 'epoch' + floor(extract(epoch FROM occurred_at) / 3600) * interval '1 hour'
        FROM analytics.usage_events WHERE org_id = ANY(:orgs::uuid[])
      ON CONFLICT DO NOTHING
      """;

  // PostgresRollupStore's aggregation before V10, verbatim: the reference for what the cost join adds.
  private static final String PRE_V10_RUN_TOTALS =
      """
      SELECT model_id, floor(extract(epoch FROM occurred_at) / 3600)::bigint AS hour_index, latency_ms,
             count(*) AS requests, count(*) FILTER (WHERE status = 'error') AS errors,
             sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
             sum(cost_micros)::bigint AS cost_micros
        FROM analytics.usage_events
       WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?
       GROUP BY 1, 2, 3
      """;

  private RollupPricingBench() {}

  public static void main(String[] args) throws Exception {
    int events = intArg(args, "--events", 200_000);
    int rounds = intArg(args, "--rounds", 5);
    String db = TestDatabases.create("rollup_pricing");
    try {
      PostgresMigrator.migrate(TestDatabases.dataSource(db));
      Jdbi jdbi = Jdbi.create(TestDatabases.dataSource(db)).installPlugin(new PostgresPlugin());
      UUID[] own = {UUID.randomUUID(), UUID.randomUUID()};
      UUID[] book = {UUID.randomUUID(), UUID.randomUUID()};
      PostgresPriceBookStore prices = new PostgresPriceBookStore(jdbi);
      List<PriceEntry> entries = new ArrayList<>();
      for (String m : MODELS) {
        entries.add(entry(new ModelPrice(m, DAY.minusSeconds(86_400), 600_000, 2_400_000)));
        entries.add(entry(new ModelPrice(m, DAY.plusSeconds(8 * 3600 + 1234), 500_000, 2_000_000)));
        entries.add(entry(new ModelPrice(m, DAY.plusSeconds(16 * 3600 + 77), 700_001, 2_100_000)));
      }
      prices.put(entries);
      load(jdbi, events, own, book);
      RollupRefresher refresher = new RollupRefresher(new PostgresRollupStore(jdbi), new PostgresFreshnessStore(jdbi),
          RollupComputation.standard());
      Instant now = DAY.plusSeconds(2 * 86_400);
      drain(refresher, now);
      long[] ownNanos = new long[rounds];
      long[] bookNanos = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        ownNanos[r] = refreshSet(jdbi, refresher, own, now);
        bookNanos[r] = refreshSet(jdbi, refresher, book, now);
      }
      long[] preV10 = new long[rounds];
      long[] current = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        preV10[r] = aggregate(jdbi, own, PRE_V10_RUN_TOTALS, false);
        current[r] = aggregate(jdbi, own, PostgresRollupStore.RUN_TOTALS, true);
      }
      long t0 = System.nanoTime();
      PriceChanges change = prices.put(List.of(entry(new ModelPrice("qwen-14b", DAY.plusSeconds(3 * 3600), 1, 1))));
      double changeMs = (System.nanoTime() - t0) / 1e6;
      double ownMs = median(ownNanos);
      double bookMs = median(bookNanos);
      System.out.printf(Locale.ROOT, "events=%d per set over 24 h, %d models, 2 orgs per set, rounds=%d%n", events,
          MODELS.size(), rounds);
      System.out.printf(Locale.ROOT, "refresh, own costMicros (reference): median %.1f ms%n", ownMs);
      System.out.printf(Locale.ROOT, "refresh, priced by the book:         median %.1f ms%n", bookMs);
      System.out.printf(Locale.ROOT, "aggregation of the own-cost set, pre-V10 statement: median %.1f ms%n",
          median(preV10));
      System.out.printf(Locale.ROOT, "aggregation of the own-cost set, V10 statement:     median %.1f ms%n",
          median(current));
      System.out.printf(Locale.ROOT, "price change over %d events: %.1f ms, hours marked %d%n", events, changeMs,
          change.hoursMarked());
      System.out.printf(Locale.ROOT, "BENCH rollup-pricing events=%d own_ms=%.1f book_ms=%.1f ratio=%.2f "
          + "own_agg_pre_v10_ms=%.1f own_agg_ms=%.1f agg_ratio=%.2f price_change_ms=%.1f hours_marked=%d%n", events,
          ownMs, bookMs, bookMs / ownMs, median(preV10), median(current), median(current) / median(preV10), changeMs,
          change.hoursMarked());
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static PriceEntry entry(ModelPrice price) {
    return new PriceEntry(price, "bench", DAY);
  }

  /** The same events under both sets, with and without their own cost. */
  private static void load(Jdbi jdbi, int events, UUID[] own, UUID[] book) {
    PostgresUsageEventStore store = new PostgresUsageEventStore(jdbi, () -> DAY.plusSeconds(2 * 86_400));
    SplittableRandom random = new SplittableRandom(13);
    List<FingerprintedEvent> ownBatch = new ArrayList<>();
    List<FingerprintedEvent> bookBatch = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      int org = random.nextInt(2);
      Instant at = DAY.plusMillis(random.nextLong(86_400_000L));
      String model = MODELS.get(random.nextInt(MODELS.size()));
      long in = 50 + random.nextInt(4_000);
      long out = 10 + random.nextInt(2_000);
      long latency = Math.max(1, Math.round(Math.exp(5.5 + random.nextGaussian() * 0.8)));
      ownBatch.add(FingerprintedEvent.of(event("o-" + i, own[org], at, model, in, out, Optional.of(in * 2 + out * 6),
          latency)));
      bookBatch.add(FingerprintedEvent.of(event("b-" + i, book[org], at, model, in, out, Optional.empty(), latency)));
      if (ownBatch.size() == 10_000 || i == events - 1) {
        store.append(new IngestionBatch("own-" + i, IngestSource.direct(), ownBatch));
        store.append(new IngestionBatch("book-" + i, IngestSource.direct(), bookBatch));
        ownBatch.clear();
        bookBatch.clear();
      }
    }
  }

  private static UsageEvent event(String id, UUID org, Instant at, String model, long in, long out,
      Optional<Long> cost, long latency) {
    return new UsageEvent(id, org, at, model, Optional.empty(), Optional.empty(), in, out, cost, latency,
        UsageStatus.SUCCESS, Optional.empty(), Optional.empty());
  }

  /** One day's aggregation per organisation of the set: the statement alone, periods bound as the refresh does. */
  private static long aggregate(Jdbi jdbi, UUID[] orgs, String sql, boolean withPeriods) throws SQLException {
    return jdbi.withHandle(h -> {
      Connection c = h.getConnection();
      PGConnection pg = c.unwrap(PGConnection.class);
      PriceBook book = PostgresPriceBookStore.book(h);
      long t0 = System.nanoTime();
      long rows = 0;
      for (UUID org : orgs) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          int i = 1;
          if (withPeriods) {
            List<PricePeriod> periods = book.periods(org, DAY, DAY.plusSeconds(86_400));
            ps.setArray(i++, pg.createArrayOf("text", periods.stream().map(PricePeriod::modelId).toArray()));
            ps.setArray(i++, longs(pg, periods, p -> UnnestStagingLoader.epochMicros(p.start())));
            ps.setArray(i++, longs(pg, periods, p -> UnnestStagingLoader.epochMicros(p.end())));
            ps.setArray(i++, longs(pg, periods, p -> p.price().inputMicrosPerMillionTokens()));
            ps.setArray(i++, longs(pg, periods, p -> p.price().outputMicrosPerMillionTokens()));
          }
          ps.setObject(i++, org);
          ps.setObject(i++, UtcTimestamps.bindable(DAY));
          ps.setObject(i, UtcTimestamps.bindable(DAY.plusSeconds(86_400)));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows++;
            }
          }
        }
      }
      if (rows == 0) {
        throw new IllegalStateException("nothing aggregated");
      }
      return System.nanoTime() - t0;
    });
  }

  private static java.sql.Array longs(PGConnection pg, List<PricePeriod> periods, ToLongFunction<PricePeriod> f)
      throws SQLException {
    return pg.createArrayOf("int8", periods.stream().mapToLong(f).toArray());
  }

  private static long refreshSet(Jdbi jdbi, RollupRefresher refresher, UUID[] orgs, Instant now) {
    jdbi.useHandle(h -> h.createUpdate(MARK_SET).bindArray("orgs", UUID.class, (Object[]) orgs).execute());
    long t0 = System.nanoTime();
    drain(refresher, now);
    return System.nanoTime() - t0;
  }

  private static void drain(RollupRefresher refresher, Instant now) {
    RefreshResult r;
    do {
      r = refresher.refreshDirty(1_000, now);
    } while (r.dirtyRemaining() > 0 && r.hourlyBucketsRefreshed() > 0);
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
