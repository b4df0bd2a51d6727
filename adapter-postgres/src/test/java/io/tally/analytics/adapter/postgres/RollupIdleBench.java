package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.RollupRefresher;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * {@code scripts/bench rollup-idle}: what a rollup run costs when nothing is dirty, with many organisations. The
 * worker runs every second, so this is the floor of its load on the database.
 *
 * <p>In one fresh database ({@code tally_test_rollup_idle_…}, dropped at the end): N organisations (default
 * 10,000) with 20 event keys and a watermark row each, and nothing dirty. Timed, back to back in rounds so load
 * falls on both alike:
 * <ul>
 *   <li>the reference: the statement every run executed before V7, one watermark upsert per clean organisation,
 *       found by a loose index scan of {@code usage_event_keys} (kept here verbatim);
 *   <li>{@link RollupRefresher#refreshDirty} over {@link PostgresRollupStore} as it is: the claim (nothing to
 *       claim) and the dirty count in one transaction, then the "clean as of" row in another (the freshness
 *       port's, {@link PostgresFreshnessStore#advanceClean}).
 * </ul>
 * Also the freshness read of one organisation, {@link PostgresFreshnessStore#lastRollupAt}, against the
 * one-row primary-key lookup it replaced. Prints medians and {@code ratio = reference / current}.
 *
 * <p>Arguments: {@code --orgs N} (10,000), {@code --runs N} (30 per side),
 * {@code --reads N} (5,000 per side).
 */
public final class RollupIdleBench {
  private static final String LEGACY_ADVANCE_CLEAN_ORGS =
      """
      WITH RECURSIVE orgs(org_id) AS (
          (SELECT org_id FROM analytics.usage_event_keys ORDER BY org_id LIMIT 1)
          UNION ALL
          SELECT (SELECT k.org_id FROM analytics.usage_event_keys k
                   WHERE k.org_id > o.org_id ORDER BY k.org_id LIMIT 1)
            FROM orgs o
           WHERE o.org_id IS NOT NULL)
      INSERT INTO analytics.freshness_watermarks AS f (org_id, last_rollup_at, watermark)
      SELECT o.org_id, now(), now()
        FROM orgs o
       WHERE o.org_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM analytics.dirty_hours d WHERE d.org_id = o.org_id)
      ON CONFLICT (org_id) DO UPDATE
         SET last_rollup_at = greatest(f.last_rollup_at, EXCLUDED.last_rollup_at),
             watermark = greatest(f.watermark, EXCLUDED.watermark)
      """;

  private static final String LEGACY_READ = "SELECT last_rollup_at FROM analytics.freshness_watermarks WHERE org_id = ?";

  private RollupIdleBench() {}

  public static void main(String[] args) throws Exception {
    int orgs = intArg(args, "--orgs", 10_000);
    int runs = intArg(args, "--runs", 30);
    int reads = intArg(args, "--reads", 5_000);
    String db = TestDatabases.create("rollup_idle");
    // One connection held open for both sides: the server keeps a pool, and a connect per call would be most of
    // what is timed.
    try (Connection connection = TestDatabases.dataSource(db).getConnection()) {
      Jdbi jdbi = Jdbi.create(connection).installPlugin(new PostgresPlugin());
      PostgresMigrator.migrate(TestDatabases.dataSource(db));
      load(jdbi, orgs);
      System.out.printf(Locale.ROOT, "orgs=%d (20 keys each), nothing dirty, runs=%d per side%n", orgs, runs);

      PostgresRollupStore rollups = new PostgresRollupStore(jdbi);
      RollupRefresher refresher = new RollupRefresher(rollups, new PostgresFreshnessStore(jdbi),
          RollupComputation.standard());
      long[] legacy = new long[runs];
      long[] current = new long[runs];
      Instant now = Instant.parse("2026-11-25T00:00:00Z");
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        jdbi.useTransaction(h -> {
          h.execute(LEGACY_ADVANCE_CLEAN_ORGS);
          h.createQuery("SELECT count(*) FROM analytics.dirty_hours").mapTo(Long.class).one();
        });
        legacy[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        RefreshResult r = refresher.refreshDirty(1, now.plusSeconds(i));
        current[i] = System.nanoTime() - t0;
        if (r.hourlyBucketsRefreshed() != 0) {
          throw new IllegalStateException("the idle run refreshed " + r);
        }
      }
      double legacyMs = medianMillis(legacy);
      double currentMs = medianMillis(current);
      System.out.printf(Locale.ROOT, "idle run, reference (one upsert per clean org): median %.2f ms%n", legacyMs);
      System.out.printf(Locale.ROOT, "idle run, refreshDirty (one clean-as-of row):    median %.2f ms%n", currentMs);

      PostgresFreshnessStore freshness = new PostgresFreshnessStore(jdbi);
      UUID[] ids = orgIds(jdbi);
      SplittableRandom random = new SplittableRandom(3);
      long[] legacyRead = new long[reads];
      long[] currentRead = new long[reads];
      for (int i = 0; i < reads; i++) {
        UUID org = ids[random.nextInt(ids.length)];
        long t0 = System.nanoTime();
        jdbi.useHandle(h -> h.createQuery(LEGACY_READ.replace("?", ":org")).bind("org", org)
            .mapTo(OffsetDateTime.class).findOne());
        legacyRead[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        Optional<Instant> read = freshness.lastRollupAt(org);
        currentRead[i] = System.nanoTime() - t0;
        if (read.isEmpty()) {
          throw new IllegalStateException("no freshness for a known org " + org);
        }
      }
      double legacyReadMs = medianMillis(legacyRead);
      double currentReadMs = medianMillis(currentRead);
      System.out.printf(Locale.ROOT, "freshness read, reference (own row): median %.3f ms%n", legacyReadMs);
      System.out.printf(Locale.ROOT, "freshness read, lastRollupAt:        median %.3f ms%n", currentReadMs);
      System.out.printf(Locale.ROOT, "BENCH rollup-idle orgs=%d idle_ref_ms=%.2f idle_ms=%.2f ratio=%.1f "
              + "read_ref_ms=%.3f read_ms=%.3f read_ratio=%.2f%n", orgs, legacyMs, currentMs, legacyMs / currentMs,
          legacyReadMs, currentReadMs, legacyReadMs / currentReadMs);
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static void load(Jdbi jdbi, int orgs) {
    jdbi.useHandle(h -> {
      h.execute("""
          INSERT INTO analytics.usage_event_keys (org_id, event_id, occurred_at, fingerprint)
          SELECT md5('org' || o)::uuid, 'e-' || e, now(), 'f'
            FROM generate_series(1, ?) o, generate_series(1, 20) e""", orgs);
      h.execute("INSERT INTO analytics.freshness_watermarks"
          + " SELECT DISTINCT org_id, now(), now() FROM analytics.usage_event_keys");
      h.execute("VACUUM ANALYZE");
    });
  }

  private static UUID[] orgIds(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT org_id FROM analytics.freshness_watermarks")
        .mapTo(UUID.class).list()).toArray(UUID[]::new);
  }

  private static double medianMillis(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
