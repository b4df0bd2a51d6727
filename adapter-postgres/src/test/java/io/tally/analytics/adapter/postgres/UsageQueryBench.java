package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;
import static io.tally.analytics.adapter.postgres.BenchArgs.stringArg;

import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.RecordingAccessGuard;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.RollupRefresher;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.testdata.Actors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * {@code scripts/bench usage-query}: with N events (default 10M: 50 orgs with skewed sizes, 5 models, 90 days,
 * ~3% errors) loaded and rolled up, times the usage query (daily, 90 days, one org, all models) and the
 * reliability query (p50/p95/p99, same shape) through the use cases over the PostgreSQL stores, against the
 * equivalent raw SQL over usage_events ({@code GROUP BY}, {@code percentile_cont}), and reports the sketch
 * percentiles' largest relative error against the exact ones.
 *
 * <p>Loading is not what this measures, so it takes the fastest path: plain COPY into usage_events, then one
 * INSERT ... SELECT each for usage_event_keys and dirty_hours. The rollup runs through
 * {@link RollupRefresher#refreshDirty} over {@link PostgresRollupStore} (two workers), as in production. The database
 * ({@code tally_bench_usage_query}) is kept; a later run with the same {@code --rows} and {@code --seed} reuses
 * it ({@code --reload true} forces a fresh load).
 *
 * <p>Arguments: {@code --rows N} (10,000,000), {@code --seed N} (7), {@code --runs N} (50 timed runs per store
 * query), {@code --raw-runs N} (a fifth of that, at least 3, for raw SQL), {@code --reload true}.
 */
public final class UsageQueryBench {
  /** The database the benchmark loads and keeps; {@code UsageQueryHttpBench} (app) reads it through a server. */
  public static final String DB = "tally_bench_usage_query";
  public static final Instant START = Instant.parse("2026-07-01T00:00:00Z");
  public static final int DAYS = 90;
  private static final Instant NOW = START.plus(Duration.ofDays(DAYS + 1));
  private static final String[] MODELS = {"llama-3-70b", "llama-3-8b", "qwen-14b", "mixtral-8x7b", "gpt-oss-120b"};
  private static final double[] MEDIAN_MS = {900, 250, 450, 600, 1_400};
  private static final String[] REGIONS = {"us-east", "us-west", "eu-west", "ap-south"};
  private static final int CHUNK = 250_000;

  private static final String COPY =
      "COPY analytics.usage_events (org_id, event_id, occurred_at, model_id, actor_id, api_key_id, input_tokens,"
          + " output_tokens, cost_micros, latency_ms, status, error_code, region, fingerprint, batch_id,"
          + " ingested_at) FROM STDIN";

  private static final String RAW_USAGE =
      """
      SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, model_id, count(*) AS requests,
             count(*) FILTER (WHERE status = 'error') AS errors, sum(input_tokens) AS input_tokens,
             sum(output_tokens) AS output_tokens, sum(cost_micros) AS cost_micros
        FROM analytics.usage_events
       WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?
       GROUP BY 1, 2
       ORDER BY 1, 2
      """;

  private static final String RAW_RELIABILITY =
      """
      SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, model_id, count(*) AS requests,
             count(*) FILTER (WHERE status = 'error') AS errors,
             percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS p
        FROM analytics.usage_events
       WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?
       GROUP BY 1, 2
       ORDER BY 1, 2
      """;

  public static void main(String[] args) throws Exception {
    int rows = intArg(args, "--rows", 10_000_000);
    long seed = intArg(args, "--seed", 7);
    int runs = intArg(args, "--runs", 50);
    int rawRuns = intArg(args, "--raw-runs", Math.max(3, runs / 5));
    boolean reload = Boolean.parseBoolean(stringArg(args, "--reload", "false"));
    UUID[] orgs = orgs(seed);

    Jdbi jdbi = prepare(rows, seed, reload, orgs);
    UUID org = largestOrg(jdbi);
    long orgEvents = jdbi.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM analytics.usage_events WHERE org_id = :org").bind("org", org).mapTo(Long.class).one());
    say("query org %s: %,d of %,d events (the largest tenant)", org, orgEvents, rows);

    PostgresRollupStore rollups = new PostgresRollupStore(jdbi);
    PostgresUsageEventStore events = new PostgresUsageEventStore(jdbi, () -> NOW);
    RecordingAccessGuard guard = new RecordingAccessGuard();
    FreshnessReader reader = new FreshnessReader(new PostgresFreshnessStore(jdbi), FreshnessCache.none(),
        new PostgresRollupQuarantine(jdbi), new FreshnessPolicy(Duration.ofSeconds(600)), () -> NOW);
    QueryUsageService usage = new QueryUsageService(guard, new PostgresRollupSums(jdbi), reader);
    QueryReliabilityService reliability = new QueryReliabilityService(guard, rollups, events, reader,
        QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
    Actor actor = Actors.system();
    TimeWindow window = new TimeWindow(START, START.plus(Duration.ofDays(DAYS)));
    QueryUsage.UsageQuery usageQuery = new QueryUsage.UsageQuery(actor, org, Granularity.DAILY, window,
        Optional.empty(), GroupBy.MODEL);
    QueryReliability.ReliabilityQuery reliabilityQuery = new QueryReliability.ReliabilityQuery(actor, org,
        Granularity.DAILY, window, Optional.empty(), GroupBy.MODEL, List.of(50.0, 95.0, 99.0),
        QueryReliability.PercentileMethod.SKETCH);

    try (Connection raw = TestDatabases.dataSource(DB).getConnection()) {
      // Same answers first: the comparison is only fair if both sides compute the same thing.
      QueryUsage.UsageReport usageReport = usage.query(usageQuery);
      Map<String, long[]> rawUsage = rawUsage(raw, org);
      checkUsage(usageReport, rawUsage);
      QueryReliability.ReliabilityReport relReport = reliability.query(reliabilityQuery);
      Map<String, double[]> exact = rawReliability(raw, org);
      double maxRelErr = maxRelativeError(relReport, exact);
      double maxRankErr = maxRankError(raw, relReport, org);
      say("usage series: %d (day, model) rows, equal to raw SQL; reliability: %d rows, sketch vs exact max"
          + " relative error %.5f (vs percentile_cont), %.5f (vs the two samples around the rank)",
          usageReport.series().size(), relReport.series().size(), maxRelErr, maxRankErr);

      double[] storeUsage = time(runs, () -> usage.query(usageQuery));
      double[] rawUsageMs = time(rawRuns, () -> rawUsage(raw, org));
      double[] storeRel = time(runs, () -> reliability.query(reliabilityQuery));
      double[] rawRelMs = time(rawRuns, () -> rawReliability(raw, org));

      report("usage (rollups)", storeUsage);
      report("usage (raw SQL)", rawUsageMs);
      report("reliability (rollups)", storeRel);
      report("reliability (raw SQL)", rawRelMs);
      double usageSpeedup = pct(rawUsageMs, 50) / pct(storeUsage, 50);
      double relSpeedup = pct(rawRelMs, 50) / pct(storeRel, 50);
      say("speed-up at the median: usage %.0fx, reliability %.0fx", usageSpeedup, relSpeedup);
      System.out.printf(Locale.ROOT,
          "BENCH usage-query rows=%d org_events=%d usage_p50_ms=%.2f usage_p95_ms=%.2f raw_usage_p50_ms=%.1f"
              + " reliability_p50_ms=%.2f reliability_p95_ms=%.2f raw_reliability_p50_ms=%.1f speedup=%.0f"
              + " reliability_speedup=%.0f max_rank_err=%.5f max_rel_err=%.5f%n",
          rows, orgEvents, pct(storeUsage, 50), pct(storeUsage, 95), pct(rawUsageMs, 50), pct(storeRel, 50),
          pct(storeRel, 95), pct(rawRelMs, 50), usageSpeedup, relSpeedup, maxRankErr, maxRelErr);
    }
  }

  private static Jdbi prepare(int rows, long seed, boolean reload, UUID[] orgs) throws Exception {
    boolean exists;
    try (Connection c = TestDatabases.dataSource("postgres").getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, DB);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    String marker = rows + "/" + seed;
    if (exists && !reload) {
      Jdbi jdbi = pooled();
      Optional<String> loaded = jdbi.withHandle(h -> h.createQuery(
          "SELECT obj_description('analytics.usage_events'::regclass, 'pg_class')").mapTo(String.class).findOne());
      long dirty = new PostgresRollupStore(jdbi).dirtyBucketCount();
      if (loaded.isPresent() && loaded.get().equals(marker) && dirty == 0) {
        say("reusing %s (%s events, rolled up); --reload true loads it again", DB, marker);
        return jdbi;
      }
    }
    try (Connection c = TestDatabases.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DB);
      s.execute("ALTER DATABASE " + DB + " SET synchronous_commit = off");
    }
    var ds = TestDatabases.dataSource(DB);
    PostgresMigrator.migrate(ds);
    Jdbi jdbi = pooled();
    LocalDate first = LocalDate.ofInstant(START, ZoneOffset.UTC);
    new PartitionMaintainer(jdbi, EventTimeWindow.defaults(), () -> NOW).ensureRange(first, first.plusDays(DAYS));

    long t0 = System.nanoTime();
    load(ds, rows, seed, orgs);
    long t1 = System.nanoTime();
    say("COPY %,d events: %.1f s (%,.0f rows/s)", rows, secs(t1 - t0), rows / secs(t1 - t0));
    jdbi.useHandle(h -> {
      h.execute("SET TimeZone = 'UTC'");
      h.execute("SET maintenance_work_mem = '512MB'");
      h.execute("SET work_mem = '256MB'");
      h.execute("INSERT INTO analytics.usage_event_keys (org_id, event_id, occurred_at, fingerprint)"
          + " SELECT org_id, event_id, occurred_at, fingerprint FROM analytics.usage_events");
      h.execute("INSERT INTO analytics.dirty_hours (org_id, bucket_start)"
          + " SELECT DISTINCT org_id, date_trunc('hour', occurred_at) FROM analytics.usage_events");
      h.execute("VACUUM ANALYZE analytics.usage_events");
      h.execute("VACUUM ANALYZE analytics.usage_event_keys");
      h.execute("ANALYZE analytics.dirty_hours");
    });
    long t2 = System.nanoTime();
    long dirty = new PostgresRollupStore(jdbi).dirtyBucketCount();
    say("usage_event_keys + dirty_hours (%,d hours) + analyze: %.1f s", dirty, secs(t2 - t1));

    RollupRefresher refresher = new RollupRefresher(new PostgresRollupStore(jdbi), new PostgresFreshnessStore(jdbi),
        RollupComputation.standard());
    AtomicLong read = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      workers.add(new Thread(() -> {
        RefreshResult r;
        do {
          r = refresher.refreshDirty(2_000, NOW);
          long total = read.addAndGet(r.eventsRead());
          if (r.hourlyBucketsRefreshed() > 0 && total / 1_000_000 != (total - r.eventsRead()) / 1_000_000) {
            say("rolled up %,d events, %,d hours left", total, r.dirtyRemaining());
          }
        } while (r.hourlyBucketsRefreshed() > 0);
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    refresher.refreshDirty(2_000, NOW);
    long t3 = System.nanoTime();
    say("rollup of %,d events through PostgresRollupStore (2 workers): %.1f s (%,.0f events/s)", read.get(),
        secs(t3 - t2), read.get() / secs(t3 - t2));
    if (read.get() != rows) {
      throw new IllegalStateException("rollup read " + read.get() + " events, expected " + rows);
    }
    jdbi.useHandle(h -> {
      h.execute("VACUUM ANALYZE analytics.usage_rollup_daily");
      h.execute("VACUUM ANALYZE analytics.usage_rollup_hourly");
      h.execute("COMMENT ON TABLE analytics.usage_events IS '" + marker + "'");
    });
    return jdbi;
  }

  private static Jdbi pooled() {
    return Jdbi.create(new ReusedConnections(TestDatabases.dataSource(DB))).installPlugin(new PostgresPlugin());
  }

  private static void load(javax.sql.DataSource ds, int rows, long seed, UUID[] orgs) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed * 31 + 1);
    long span = Duration.ofDays(DAYS).toMillis();
    UUID batchId = UUID.randomUUID();
    try (Connection c = ds.getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      for (int from = 0; from < rows; from += CHUNK) {
        int to = Math.min(rows, from + CHUNK);
        try (PGCopyOutputStream out = new PGCopyOutputStream(pg, COPY, 256 * 1024)) {
          CopyTextWriter w = new CopyTextWriter(out, 256 * 1024);
          for (int i = from; i < to; i++) {
            // Skewed org sizes: a few big tenants, a long tail.
            UUID org = orgs[(int) Math.min(orgs.length - 1, Math.floor(Math.pow(rnd.nextDouble(), 2) * orgs.length))];
            int m = rnd.nextInt(MODELS.length);
            Instant at = START.plusMillis((long) ((double) i / rows * span));
            long input = (long) Math.exp(5 + rnd.nextDouble() * 3.5);
            long output = (long) Math.exp(4 + rnd.nextDouble() * 3.5);
            boolean error = rnd.nextInt(100) < 3;
            long latency = Math.max(5, (long) (MEDIAN_MS[m] * Math.exp(rnd.nextGaussian() * 0.6)));
            UsageEventRow r = UsageRows.withFingerprint(org, "q-" + i, at, MODELS[m], null, "key_" + rnd.nextInt(40),
                input, error ? 0 : output, error ? 0 : (input * 590_000 + output * 790_000) / 1_000_000, latency,
                error ? "error" : "success", error ? "upstream_timeout" : null, REGIONS[rnd.nextInt(REGIONS.length)]);
            w.uuid(r.orgId()).text(r.eventId()).timestamp(r.occurredAt()).text(r.modelId()).text(r.actorId())
                .text(r.apiKeyId()).number(r.inputTokens()).number(r.outputTokens()).number(r.costMicros())
                .number(r.latencyMs()).text(r.status()).text(r.errorCode()).text(r.region()).text(r.fingerprint())
                .uuid(batchId).timestamp(NOW);
            w.endRow();
          }
          w.flush();
        }
        if ((to / CHUNK) % 8 == 0) {
          say("copied %,d", to);
        }
      }
    }
  }

  private static UUID[] orgs(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    UUID[] orgs = new UUID[50];
    for (int i = 0; i < orgs.length; i++) {
      orgs[i] = new UUID(rnd.nextLong(), rnd.nextLong());
    }
    return orgs;
  }

  private static UUID largestOrg(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT org_id FROM analytics.usage_rollup_daily GROUP BY org_id"
        + " ORDER BY sum(requests) DESC LIMIT 1").mapTo(UUID.class).one());
  }

  private static Map<String, long[]> rawUsage(Connection c, UUID org) throws SQLException {
    Map<String, long[]> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(RAW_USAGE)) {
      bind(ps, org);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rowKey(rs), new long[] {rs.getLong("requests"), rs.getLong("errors"), rs.getLong("input_tokens"),
              rs.getLong("output_tokens"), rs.getLong("cost_micros")});
        }
      }
    }
    return out;
  }

  private static Map<String, double[]> rawReliability(Connection c, UUID org) throws SQLException {
    Map<String, double[]> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(RAW_RELIABILITY)) {
      bind(ps, org);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Double[] p = (Double[]) rs.getArray("p").getArray();
          out.put(rowKey(rs), new double[] {p[0], p[1], p[2], rs.getLong("requests"), rs.getLong("errors")});
        }
      }
    }
    return out;
  }

  private static void bind(PreparedStatement ps, UUID org) throws SQLException {
    ps.setObject(1, org);
    ps.setObject(2, START.atOffset(ZoneOffset.UTC));
    ps.setObject(3, START.plus(Duration.ofDays(DAYS)).atOffset(ZoneOffset.UTC));
  }

  private static String rowKey(ResultSet rs) throws SQLException {
    Instant day = rs.getObject("day", java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
    return day + "|" + rs.getString("model_id");
  }

  private static void checkUsage(QueryUsage.UsageReport report, Map<String, long[]> raw) {
    if (report.series().size() != raw.size()) {
      throw new IllegalStateException("usage rows differ: " + report.series().size() + " vs " + raw.size());
    }
    for (QueryUsage.UsagePoint p : report.series()) {
      long[] want = raw.get(p.bucketStart() + "|" + p.modelId().orElseThrow());
      QueryUsage.UsageTotals t = p.totals();
      long[] got = {t.requests(), t.errors(), t.inputTokens(), t.outputTokens(), t.costMicros()};
      if (!Arrays.equals(want, got)) {
        throw new IllegalStateException("usage differs at " + p + ": raw " + Arrays.toString(want));
      }
    }
  }

  private static double maxRelativeError(QueryReliability.ReliabilityReport report, Map<String, double[]> exact) {
    if (report.series().size() != exact.size()) {
      throw new IllegalStateException("reliability rows differ: " + report.series().size() + " vs " + exact.size());
    }
    double max = 0;
    for (QueryReliability.ReliabilityPoint p : report.series()) {
      double[] want = exact.get(p.bucketStart() + "|" + p.modelId().orElseThrow());
      if (p.requests() != (long) want[3] || p.errors() != (long) want[4]) {
        throw new IllegalStateException("reliability counts differ at " + p);
      }
      for (int i = 0; i < 3; i++) {
        max = Math.max(max, Math.abs(p.latency().get(i).latencyMs() - want[i]) / want[i]);
      }
    }
    return max;
  }

  /**
   * The sketch's own guarantee: within 1% of a sample at the rank. percentile_cont interpolates between the two
   * samples around position q(n-1), so this measures the distance to that pair (0 when between them).
   */
  private static double maxRankError(Connection c, QueryReliability.ReliabilityReport report, UUID org)
      throws SQLException {
    Map<String, long[]> sorted = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT date_trunc('day', occurred_at AT TIME ZONE 'UTC') AS day, model_id,"
            + " array_agg(latency_ms ORDER BY latency_ms) AS l FROM analytics.usage_events"
            + " WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2")) {
      bind(ps, org);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long[] l = (Long[]) rs.getArray("l").getArray();
          sorted.put(rowKey(rs), Arrays.stream(l).mapToLong(Long::longValue).toArray());
        }
      }
    }
    double max = 0;
    for (QueryReliability.ReliabilityPoint p : report.series()) {
      long[] a = sorted.get(p.bucketStart() + "|" + p.modelId().orElseThrow());
      for (QueryReliability.PercentileValue v : p.latency()) {
        double pos = v.percentile() / 100.0 * (a.length - 1);
        double lo = a[(int) Math.floor(pos)];
        double hi = a[(int) Math.ceil(pos)];
        double x = v.latencyMs();
        max = Math.max(max, x < lo ? (lo - x) / lo : x > hi ? (x - hi) / hi : 0);
      }
    }
    return max;
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static double[] time(int runs, Work work) throws Exception {
    // The answer checks above allocate millions of boxed samples; collect them now, not inside a timed run.
    System.gc();
    for (int i = 0; i < Math.max(2, runs / 10); i++) {
      work.run(); // warm-up: JIT, plan cache, buffer cache
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void report(String what, double[] ms) {
    say("%-22s p50 %8.2f ms  p95 %8.2f ms  (%d runs)", what, pct(ms, 50), pct(ms, 95), ms.length);
  }



  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.println("[usage-query] " + String.format(Locale.ROOT, fmt, args));
  }

  private UsageQueryBench() {}
}
