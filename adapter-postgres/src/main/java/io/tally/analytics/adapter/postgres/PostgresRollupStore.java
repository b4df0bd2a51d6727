package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PricePeriod;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.ports.out.BucketTotals;
import io.tally.analytics.ports.out.HourDeltas;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.RollupTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.postgresql.PGConnection;

/**
 * Hourly and daily rollups in {@code analytics.usage_rollup_hourly} / {@code usage_rollup_daily}, refreshed
 * from the {@code dirty_hours} that appends mark, by merging the appends' deltas ({@code usage_rollup_deltas}) or
 * recomputing from the raw events.
 *
 * <p>The refresh algorithm is {@code RollupRefresher}'s (analytics-ports); this store gives it one transaction per
 * step ({@link #inTransaction}) whose steps run as follows:
 * <ol>
 *   <li>on opening, take the price lock shared ({@link PostgresPriceBookStore}): a price change waits for this
 *       commit before it looks for hours to re-price, and a refresh that starts during a price change waits for its
 *       commit and then claims and reads the new book. Taken first, before any mark is held, since a price change
 *       marks hours too and would wait for claimed ones;
 *   <li>claim: delete up to {@code maxHours} dirty (org, hour) rows with {@code DELETE ... WHERE (org, hour) IN
 *       (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING}: concurrent refreshers (threads or instances)
 *       take disjoint hours, and an append that re-marks a claimed hour waits for this commit and then inserts
 *       the row again, so the hour stays dirty; an append still in flight that marked an hour that was already
 *       dirty holds that row locked (its mark is an update), so the claim skips the hour until the append's
 *       rows are visible. Then take a transaction advisory lock per touched (org, UTC day), in one global order:
 *       two refreshers that claimed different hours of the same day would otherwise each re-derive the day
 *       without the other's hour and the later commit would win with a stale day;
 *   <li>take deltas ({@link RollupTransaction#takeDeltas}): delete the deltas of every claimed hour; for the hours
 *       whose mark was incremental (claimed by {@code claimDirty}; a retry's {@code claim} recomputes), return the
 *       deleted deltas and the hours' stored hourly rows, which the refresh merges;
 *   <li>hour totals, for the other (full) hours: aggregate every raw event of the hours (all models), one range
 *       query per run of consecutive hours of an org that sums per (model, hour, latency), pricing each event
 *       without its own cost by the period of the book it falls in and counting those without a price;
 *   <li>stored hours of days: re-read the stored hours of each touched (org, model, day), this transaction's
 *       upserts included.
 * </ol>
 * The watermarks are {@link PostgresFreshnessStore}'s, written after the commit.
 * Sketches are stored with {@link LatencySketch#toBytes()}; the SQL never merges them.
 *
 * <p><b>Incremental refresh (V14).</b> Every append writes, in its own transaction, one delta per (org, model,
 * hour) it inserted into, priced by the book of that transaction, and marks those hours incremental
 * ({@link RollupDeltas}). The invariant: for every hour without a full mark, its stored hourly rollup (none =
 * empty) merged with its deltas is the rollup of all its raw events under the current book. An append keeps it
 * (events and their deltas commit together); a refresh keeps it (it replaces the stored rollup by the merge, or by
 * the recomputation, and deletes the deltas it used or made obsolete); a price change marks every hour whose
 * rollup it changes full ({@link PostgresPriceBookStore}), and so does {@link #markDirty}. Marks made before V14,
 * when appends wrote no deltas, became full, which is why an incremental hour without a stored row may merge into
 * nothing: all its events have deltas.
 *
 * <p><b>Why a claimed hour's raw events and deltas are one consistent set under READ COMMITTED.</b> An append marks
 * the hours it inserts into in the transaction that inserts the rows and deltas. If it marked an existing mark and
 * has not committed, it holds that row locked and the claim ({@code SKIP LOCKED}) passes the hour over; a mark it
 * inserted is invisible to the claim. If it marks after the claim, it waits on the claimed (deleted) row until
 * this transaction commits, and then inserts a new mark. So no append touching a claimed hour commits while this
 * transaction runs: every later statement here (the delta delete, the raw totals) sees exactly the appends that
 * committed before the claim, with all their rows and deltas. {@code PostgresRollupDirtyRaceIT} and
 * {@code PostgresIncrementalRollupRaceIT} hold appends open across refreshes.
 *
 * <p>A dirty row names (org, hour), not (org, model, hour): the append path marks hours without looking at
 * models, and recomputing the few models of an hour costs little more than one. {@code hourlyBucketsRefreshed}
 * and {@link #dirtyBucketCount()} count those (org, hour) rows. Events are never deleted, so an hour never
 * loses a model and stale hourly rows cannot arise.
 */
public final class PostgresRollupStore implements RollupStore {

  // Quarantined hours (V8) are passed over: a failing hour waits for its own retry (refreshHours) instead of
  // failing every batch it lands in.
  private static final String CLAIM =
      """
      DELETE FROM analytics.dirty_hours d
       WHERE (d.org_id, d.bucket_start) IN (
             SELECT org_id, bucket_start
               FROM analytics.dirty_hours x
              WHERE NOT EXISTS (SELECT 1 FROM analytics.rollup_quarantine q
                                 WHERE q.org_id = x.org_id AND q.bucket_start = x.bucket_start)
              ORDER BY org_id, bucket_start
              LIMIT ?
                FOR UPDATE SKIP LOCKED)
      RETURNING d.org_id, d.bucket_start, d.full_recompute
      """;

  private static final String CLAIM_GIVEN =
      """
      DELETE FROM analytics.dirty_hours d
       WHERE (d.org_id, d.bucket_start) IN (
             SELECT x.org_id, x.bucket_start
               FROM analytics.dirty_hours x
               JOIN unnest(?::uuid[], ?::int8[]) AS g(org_id, hour_us)
                 ON x.org_id = g.org_id
                AND x.bucket_start = timestamptz 'epoch' + g.hour_us * interval '1 microsecond'
              ORDER BY x.org_id, x.bucket_start
                FOR UPDATE OF x SKIP LOCKED)
      RETURNING d.org_id, d.bucket_start, true AS full_recompute
      """;

  // Every claimed hour's deltas go; only the incremental hours' come back, in append order. RETURNING reads the
  // rows this statement deleted, so no delta appended after the claim can be taken (see the class comment).
  private static final String TAKE_DELTAS =
      """
      WITH gone AS (
          DELETE FROM analytics.usage_rollup_deltas d
           USING unnest(?::uuid[], ?::int8[], ?::bool[]) AS c(org_id, hour_us, incremental)
           WHERE d.org_id = c.org_id
             AND d.bucket_start = timestamptz 'epoch' + c.hour_us * interval '1 microsecond'
          RETURNING d.id, d.org_id, d.model_id, d.bucket_start, d.requests, d.errors, d.input_tokens,
                    d.output_tokens, d.cost_micros, d.unpriced_requests, d.latency_sketch, c.incremental)
      SELECT org_id, model_id, bucket_start, requests, errors, input_tokens, output_tokens, cost_micros,
             unpriced_requests, latency_sketch
        FROM gone
       WHERE incremental
       ORDER BY id
      """;

  private static final String STORED_HOURS =
      """
      SELECT h.org_id, h.model_id, h.bucket_start, h.requests, h.errors, h.input_tokens, h.output_tokens,
             h.cost_micros, h.unpriced_requests, h.latency_sketch
        FROM unnest(?::uuid[], ?::int8[]) AS c(org_id, hour_us)
        JOIN analytics.usage_rollup_hourly h
          ON h.org_id = c.org_id AND h.bucket_start = timestamptz 'epoch' + c.hour_us * interval '1 microsecond'
      """;

  private static final String PENDING =
      """
      SELECT org_id, bucket_start
        FROM analytics.dirty_hours x
       WHERE NOT EXISTS (SELECT 1 FROM analytics.rollup_quarantine q
                          WHERE q.org_id = x.org_id AND q.bucket_start = x.bucket_start)
       ORDER BY org_id, bucket_start
       LIMIT :limit
      """;

  private static final String RELEASE =
      """
      DELETE FROM analytics.rollup_quarantine q
       USING unnest(:orgs::uuid[], :hours::int8[]) AS r(org_id, hour_us)
       WHERE q.org_id = r.org_id AND q.bucket_start = timestamptz 'epoch' + r.hour_us * interval '1 microsecond'
      """;

  // The aggregate consumes an ordered subquery, so the locks are taken in key order.
  private static final String LOCK_DAYS =
      "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest(?::int8[]) AS k ORDER BY k) s";

  // One range per run of consecutive claimed hours of one org: a plain index range scan of the partitions that
  // hold the run (pruned at executor start). Runs are long after bulk ingest and one hour long for late events.
  // The database adds up each (model, hour, latency): shipping a busy hour's events one by one took seconds
  // (600,000 events in the current hour at 10,000/s), while a millisecond latency takes a few thousand
  // distinct values in an hour. Java builds the sketch from the counts (RollupComputation.fromTotals).
  //
  // Cost: an event's own cost wins. An event without one joins the price period of its model and time (the
  // periods are PriceBook.periods: core decides which price applies, this statement only evaluates
  // PriceBook.cost, round half-up per event, in numeric so nothing overflows on the way). A cost beyond a
  // bigint is unknown, like a missing price: core's rule, pinned by PriceBookStoreContract. The run's rows are
  // materialized once and only those without a cost go through the join: joining every row cost the own-cost
  // events 19% and a correlated subquery per row cost the priced ones 3.4x (scripts/bench rollup-pricing).
  // Package-private for RollupPricingBench, which times it against the statement before V10.
  static final String RUN_TOTALS =
      """
      WITH periods AS MATERIALIZED (
          SELECT p.model_id,
                 timestamptz 'epoch' + p.from_us * interval '1 microsecond' AS from_at,
                 timestamptz 'epoch' + p.to_us * interval '1 microsecond' AS to_at,
                 p.input_price, p.output_price
            FROM unnest(?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[])
                 AS p(model_id, from_us, to_us, input_price, output_price)),
      run AS MATERIALIZED (
          SELECT e.model_id, e.occurred_at, e.latency_ms, e.status, e.input_tokens, e.output_tokens, e.cost_micros
            FROM analytics.usage_events e
           WHERE e.org_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?),
      costed AS (
          SELECT r.model_id, r.occurred_at, r.latency_ms, r.status, r.input_tokens, r.output_tokens,
                 r.cost_micros AS own_cost, NULL::numeric AS book_cost
            FROM run r
           WHERE r.cost_micros IS NOT NULL
          UNION ALL
          SELECT r.model_id, r.occurred_at, r.latency_ms, r.status, r.input_tokens, r.output_tokens,
                 NULL::bigint, div(r.input_tokens::numeric * p.input_price
                                   + r.output_tokens::numeric * p.output_price + 500000, 1000000)
            FROM run r
            LEFT JOIN periods p
              ON p.model_id = r.model_id AND r.occurred_at >= p.from_at AND r.occurred_at < p.to_at
           WHERE r.cost_micros IS NULL)
      SELECT model_id, floor(extract(epoch FROM occurred_at) / 3600)::bigint AS hour_index, latency_ms,
             count(*) AS requests, count(*) FILTER (WHERE status = 'error') AS errors,
             sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
             (coalesce(sum(own_cost), 0)
              + coalesce(sum(book_cost) FILTER (WHERE book_cost <= 9223372036854775807), 0))::bigint AS cost_micros,
             count(*) FILTER (WHERE own_cost IS NULL
                                AND (book_cost IS NULL OR book_cost > 9223372036854775807)) AS unpriced_requests
        FROM costed
       GROUP BY 1, 2, 3
      """;

  private static final String DAY_HOURS =
      """
      SELECT h.org_id, h.model_id, d.day_us, h.requests, h.errors, h.input_tokens, h.output_tokens,
             h.cost_micros, h.unpriced_requests, h.latency_sketch
        FROM unnest(?::uuid[], ?::text[], ?::int8[]) AS d(org_id, model_id, day_us)
        JOIN analytics.usage_rollup_hourly h
          ON h.org_id = d.org_id AND h.model_id = d.model_id
         AND h.bucket_start >= timestamptz 'epoch' + d.day_us * interval '1 microsecond'
         AND h.bucket_start < timestamptz 'epoch' + (d.day_us + 86400000000) * interval '1 microsecond'
       ORDER BY h.org_id, h.model_id, d.day_us
      """;

  private static final String UPSERT =
      """
      INSERT INTO analytics.%s (org_id, model_id, bucket_start, requests, errors, input_tokens,
             output_tokens, cost_micros, unpriced_requests, latency_sketch, updated_at)
      VALUES (:org, :model, :bucket, :requests, :errors, :input, :output, :cost, :unpriced, :sketch, :now)
      ON CONFLICT (org_id, model_id, bucket_start) DO UPDATE
         SET requests = EXCLUDED.requests, errors = EXCLUDED.errors, input_tokens = EXCLUDED.input_tokens,
             output_tokens = EXCLUDED.output_tokens, cost_micros = EXCLUDED.cost_micros,
             unpriced_requests = EXCLUDED.unpriced_requests, latency_sketch = EXCLUDED.latency_sketch, updated_at = EXCLUDED.updated_at
      """;

  private static final String QUERY =
      """
      SELECT org_id, model_id, bucket_start, requests, errors, input_tokens, output_tokens, cost_micros,
             unpriced_requests, latency_sketch
        FROM analytics.%s
       WHERE org_id = :org AND bucket_start >= :start AND bucket_start < :end %s
       ORDER BY bucket_start, model_id COLLATE "C"
      """;

  private static final long HOUR_US = 3_600_000_000L;
  private static final long DAY_US = 86_400_000_000L;
  private static final int READ_FETCH_SIZE = 10_000;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresRollupStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public <T> T inTransaction(Function<RollupTransaction, T> work) {
    Objects.requireNonNull(work, "work");
    try {
      return jdbi.inTransaction(h -> {
        // Before the claim: holding claimed marks while waiting for a price change that marks hours deadlocks.
        PostgresPriceBookStore.lockShared(h);
        return work.apply(new Transaction(h));
      });
    } catch (RuntimeException e) {
      throw RollupFailures.classify(e);
    }
  }

  @Override
  public List<OrgHour> pendingHours(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    return translate("pending hours", () -> jdbi.withHandle(h -> h.createQuery(PENDING).bind("limit", limit)
        .map((rs, ctx) -> new OrgHour(rs.getObject("org_id", UUID.class), UtcTimestamps.read(rs, "bucket_start")))
        .list()));
  }

  /** A statement that throws SQLException, run inside the refresh transaction. */
  @FunctionalInterface
  private interface Sql<T> {
    T run() throws SQLException;
  }

  private static <T> T sql(Sql<T> statement) {
    try {
      return statement.run();
    } catch (SQLException e) {
      throw new PostgresAdapterException("rollup refresh failed", e);
    }
  }

  /** The storage steps of one refresh, on the transaction's handle. */
  private static final class Transaction implements RollupTransaction {
    private final Handle h;
    private final Connection c;
    private final PGConnection pg;
    // Claimed by claimDirty with an incremental mark: the hours takeDeltas may offer for merging.
    private final Set<OrgHour> incrementalClaims = new HashSet<>();

    Transaction(Handle h) {
      this.h = h;
      this.c = h.getConnection();
      this.pg = sql(() -> c.unwrap(PGConnection.class));
    }

    @Override
    public List<OrgHour> claimDirty(int maxHours) {
      if (maxHours <= 0) {
        throw new IllegalArgumentException("maxHours must be > 0");
      }
      return claim(() -> {
        PreparedStatement ps = c.prepareStatement(CLAIM);
        ps.setInt(1, maxHours);
        return ps;
      });
    }

    @Override
    public List<OrgHour> claim(Collection<OrgHour> hours) {
      if (hours.isEmpty()) {
        return List.of();
      }
      UUID[] orgs = hours.stream().map(OrgHour::orgId).toArray(UUID[]::new);
      long[] micros = hours.stream().mapToLong(hr -> UnnestStagingLoader.epochMicros(hr.hour())).toArray();
      return claim(() -> {
        PreparedStatement ps = c.prepareStatement(CLAIM_GIVEN);
        ps.setArray(1, pg.createArrayOf("uuid", orgs));
        ps.setArray(2, pg.createArrayOf("int8", micros));
        return ps;
      });
    }

    /** Runs the claim (a DELETE ... RETURNING), then locks the claimed hours' days. */
    private List<OrgHour> claim(Sql<PreparedStatement> prepare) {
      return sql(() -> {
        TreeSet<OrgTime> hours = new TreeSet<>();
        try (PreparedStatement ps = prepare.run(); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            OrgTime hour = new OrgTime(rs.getObject(1, UUID.class),
                UnnestStagingLoader.epochMicros(UtcTimestamps.read(rs, "bucket_start")));
            hours.add(hour);
            if (!rs.getBoolean("full_recompute")) {
              incrementalClaims.add(new OrgHour(hour.org(), instant(hour.micros())));
            }
          }
        }
        if (!hours.isEmpty()) {
          lockDays(c, pg, hours);
        }
        return hours.stream().map(t -> new OrgHour(t.org(), instant(t.micros()))).toList();
      });
    }

    @Override
    public HourDeltas takeDeltas(List<OrgHour> hours) {
      return sql(() -> deltas(c, pg, hours, incrementalClaims));
    }

    @Override
    public PriceBook prices() {
      return PostgresPriceBookStore.book(h);
    }

    @Override
    public SortedMap<RollupKey, BucketTotals> hourTotals(List<OrgHour> hours, PriceBook prices) {
      TreeSet<OrgTime> sorted = new TreeSet<>();
      hours.forEach(hr -> sorted.add(new OrgTime(hr.orgId(), UnnestStagingLoader.epochMicros(hr.hour()))));
      return sql(() -> recomputeHours(c, pg, sorted, prices));
    }

    @Override
    public Map<RollupKey, List<UsageRollup>> storedHoursOfDays(Set<RollupKey> dailyKeys) {
      return sql(() -> hoursOfDays(c, pg, dailyKeys));
    }

    @Override
    public void upsert(BucketWidth width, Map<RollupKey, UsageRollup> rows, Instant at) {
      PostgresRollupStore.upsert(h, RollupTables.forWidth(width), rows, UtcTimestamps.bindable(at));
    }

    @Override
    public void release(Collection<OrgHour> hours) {
      if (hours.isEmpty()) {
        return;
      }
      h.createUpdate(RELEASE)
          .bindArray("orgs", UUID.class, (Object[]) hours.stream().map(OrgHour::orgId).toArray(UUID[]::new))
          .bindArray("hours", Long.class, (Object[]) hours.stream()
              .map(hr -> UnnestStagingLoader.epochMicros(hr.hour())).toArray(Long[]::new))
          .execute();
    }

    @Override
    public long dirtyRemaining() {
      return h.createQuery("SELECT count(*) FROM analytics.dirty_hours").mapTo(Long.class).one();
    }
  }

  private static void lockDays(Connection c, PGConnection pg, TreeSet<OrgTime> hours) throws SQLException {
    TreeSet<Long> keys = new TreeSet<>();
    for (OrgTime hour : hours) {
      long day = Math.floorDiv(hour.micros(), DAY_US);
      // Any deterministic mix will do: a collision only makes two days share a lock.
      keys.add(hour.org().getMostSignificantBits() * 31 + hour.org().getLeastSignificantBits() * 17 + day);
    }
    try (PreparedStatement ps = c.prepareStatement(LOCK_DAYS)) {
      ps.setArray(1, pg.createArrayOf("int8", keys.stream().mapToLong(Long::longValue).toArray()));
      ps.executeQuery().close();
    }
  }

  private static SortedMap<RollupKey, BucketTotals> recomputeHours(Connection c, PGConnection pg,
      TreeSet<OrgTime> hours, PriceBook prices) throws SQLException {
    SortedMap<RollupKey, BucketTotals> out = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    try (PreparedStatement ps = c.prepareStatement(RUN_TOTALS)) {
      ps.setFetchSize(READ_FETCH_SIZE);
      OrgTime runStart = null;
      OrgTime previous = null;
      for (OrgTime hour : hours) {
        boolean continues = previous != null && previous.org().equals(hour.org())
            && previous.micros() + HOUR_US == hour.micros();
        if (!continues && runStart != null) {
          readRun(ps, pg, runStart, previous, prices, out);
        }
        if (!continues) {
          runStart = hour;
        }
        previous = hour;
      }
      if (runStart != null) {
        readRun(ps, pg, runStart, previous, prices, out);
      }
    }
    return out;
  }

  private static void readRun(PreparedStatement ps, PGConnection pg, OrgTime first, OrgTime last,
      PriceBook prices, Map<RollupKey, BucketTotals> out) throws SQLException {
    Instant start = instant(first.micros());
    Instant end = instant(last.micros() + HOUR_US);
    bindPeriods(ps, pg, prices.periods(first.org(), start, end));
    ps.setObject(6, first.org());
    ps.setObject(7, UtcTimestamps.bindable(start));
    ps.setObject(8, UtcTimestamps.bindable(end));
    Map<RollupKey, TotalsBuilder> byHour = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        RollupKey key = new RollupKey(first.org(), rs.getString("model_id"),
            Instant.ofEpochSecond(Math.multiplyExact(rs.getLong("hour_index"), 3_600L)));
        byHour.computeIfAbsent(key, k -> new TotalsBuilder()).add(rs.getLong("latency_ms"), rs.getLong("requests"),
            rs.getLong("errors"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cost_micros"),
            rs.getLong("unpriced_requests"));
      }
    }
    byHour.forEach((key, totals) -> out.put(key, totals.build()));
  }

  private static void bindPeriods(PreparedStatement ps, PGConnection pg, List<PricePeriod> periods)
      throws SQLException {
    int n = periods.size();
    String[] models = new String[n];
    long[] from = new long[n];
    long[] to = new long[n];
    long[] input = new long[n];
    long[] output = new long[n];
    for (int i = 0; i < n; i++) {
      PricePeriod p = periods.get(i);
      models[i] = p.modelId();
      from[i] = UnnestStagingLoader.epochMicros(p.start());
      to[i] = UnnestStagingLoader.epochMicros(p.end());
      input[i] = p.price().inputMicrosPerMillionTokens();
      output[i] = p.price().outputMicrosPerMillionTokens();
    }
    ps.setArray(1, pg.createArrayOf("text", models));
    ps.setArray(2, pg.createArrayOf("int8", from));
    ps.setArray(3, pg.createArrayOf("int8", to));
    ps.setArray(4, pg.createArrayOf("int8", input));
    ps.setArray(5, pg.createArrayOf("int8", output));
  }

  /** Sums the (model, hour, latency) groups of one (model, hour) into its {@link BucketTotals}. */
  private static final class TotalsBuilder {
    private long requests;
    private long errors;
    private long inputTokens;
    private long outputTokens;
    private long costMicros;
    private long unpriced;
    private final List<BucketTotals.LatencyCount> latencies = new ArrayList<>();

    void add(long latencyMs, long count, long errorCount, long input, long output, long cost, long unpricedCount) {
      requests = Math.addExact(requests, count);
      errors = Math.addExact(errors, errorCount);
      inputTokens = Math.addExact(inputTokens, input);
      outputTokens = Math.addExact(outputTokens, output);
      costMicros = Math.addExact(costMicros, cost);
      unpriced = Math.addExact(unpriced, unpricedCount);
      latencies.add(new BucketTotals.LatencyCount(latencyMs, count));
    }

    BucketTotals build() {
      return new BucketTotals(requests, errors, inputTokens, outputTokens, costMicros, unpriced, latencies);
    }
  }

  private static HourDeltas deltas(Connection c, PGConnection pg, List<OrgHour> hours, Set<OrgHour> incremental)
      throws SQLException {
    if (hours.isEmpty()) {
      return HourDeltas.none();
    }
    int n = hours.size();
    UUID[] orgs = new UUID[n];
    long[] micros = new long[n];
    boolean[] merge = new boolean[n];
    for (int i = 0; i < n; i++) {
      orgs[i] = hours.get(i).orgId();
      micros[i] = UnnestStagingLoader.epochMicros(hours.get(i).hour());
      merge[i] = incremental.contains(hours.get(i));
    }
    Map<RollupKey, List<UsageRollup>> deltas = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(TAKE_DELTAS)) {
      ps.setFetchSize(READ_FETCH_SIZE);
      ps.setArray(1, pg.createArrayOf("uuid", orgs));
      ps.setArray(2, pg.createArrayOf("int8", micros));
      ps.setArray(3, pg.createArrayOf("bool", merge));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          deltas.computeIfAbsent(key(rs), k -> new ArrayList<>()).add(rollup(rs));
        }
      }
    }
    Set<OrgHour> merged = new HashSet<>();
    hours.stream().filter(incremental::contains).forEach(merged::add);
    return new HourDeltas(merged, storedHours(c, pg, deltas.keySet()), deltas);
  }

  /** The stored hourly rollups of the hours of these keys. */
  private static Map<RollupKey, UsageRollup> storedHours(Connection c, PGConnection pg, Set<RollupKey> keys)
      throws SQLException {
    TreeSet<OrgTime> hours = new TreeSet<>();
    keys.forEach(k -> hours.add(new OrgTime(k.orgId(), UnnestStagingLoader.epochMicros(k.bucketStart()))));
    Map<RollupKey, UsageRollup> stored = new HashMap<>();
    if (hours.isEmpty()) {
      return stored;
    }
    try (PreparedStatement ps = c.prepareStatement(STORED_HOURS)) {
      ps.setArray(1, pg.createArrayOf("uuid", hours.stream().map(OrgTime::org).toArray(UUID[]::new)));
      ps.setArray(2, pg.createArrayOf("int8", hours.stream().mapToLong(OrgTime::micros).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(key(rs), rollup(rs));
        }
      }
    }
    return stored;
  }

  private static RollupKey key(ResultSet rs) throws SQLException {
    return new RollupKey(rs.getObject("org_id", UUID.class), rs.getString("model_id"),
        UtcTimestamps.read(rs, "bucket_start"));
  }

  private static Map<RollupKey, List<UsageRollup>> hoursOfDays(Connection c, PGConnection pg,
      Set<RollupKey> days) throws SQLException {
    UUID[] orgs = new UUID[days.size()];
    String[] models = new String[days.size()];
    long[] micros = new long[days.size()];
    int i = 0;
    for (RollupKey d : days) {
      orgs[i] = d.orgId();
      models[i] = d.modelId();
      micros[i++] = UnnestStagingLoader.epochMicros(d.bucketStart());
    }
    Map<RollupKey, List<UsageRollup>> hoursByDay = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    try (PreparedStatement ps = c.prepareStatement(DAY_HOURS)) {
      ps.setArray(1, pg.createArrayOf("uuid", orgs));
      ps.setArray(2, pg.createArrayOf("text", models));
      ps.setArray(3, pg.createArrayOf("int8", micros));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RollupKey day = new RollupKey(rs.getObject("org_id", UUID.class), rs.getString("model_id"),
              instant(rs.getLong("day_us")));
          hoursByDay.computeIfAbsent(day, k -> new ArrayList<>()).add(rollup(rs));
        }
      }
    }
    return hoursByDay;
  }

  private static void upsert(Handle h, String table, Map<RollupKey, UsageRollup> rows, OffsetDateTime now) {
    if (rows.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(UPSERT.formatted(table));
    rows.forEach((k, r) -> batch
        .bind("org", k.orgId())
        .bind("model", k.modelId())
        .bind("bucket", UtcTimestamps.bindable(k.bucketStart()))
        .bind("requests", r.requests())
        .bind("errors", r.errors())
        .bind("input", r.inputTokens())
        .bind("output", r.outputTokens())
        .bind("cost", r.costMicros())
        .bind("unpriced", r.unpricedRequests())
        .bind("sketch", r.latency().toBytes())
        .bind("now", now)
        .add());
    batch.execute();
  }

  @Override
  public List<RollupRow> query(UUID orgId, BucketWidth width, Instant start, Instant end,
      Optional<String> modelId) {
    String sql = QUERY.formatted(RollupTables.forWidth(width), modelId.isPresent() ? "AND model_id = :model" : "");
    return translate("rollup query", () -> jdbi.withHandle(h -> {
      Query q = h.createQuery(sql)
          .bind("org", orgId)
          .bind("start", UtcTimestamps.bindable(start))
          .bind("end", UtcTimestamps.bindable(end));
      modelId.ifPresent(m -> q.bind("model", m));
      return q.map((rs, ctx) -> new RollupRow(new RollupKey(rs.getObject("org_id", UUID.class),
          rs.getString("model_id"), UtcTimestamps.read(rs, "bucket_start")), rollup(rs))).list();
    }));
  }

  @Override
  public long dirtyBucketCount() {
    return translate("dirty count", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT count(*) FROM analytics.dirty_hours").mapTo(Long.class).one()));
  }

  /**
   * Forces a refresh: marks dirty every hour that has raw events from {@code from} on, for one organisation or all,
   * as full, so the next refresh steps recompute them from the raw events (and drop their deltas) ({@code tally rollup --refresh}). Hours without raw
   * events (past raw retention) are left alone, so their rollups stay.
   *
   * @return hours marked (already dirty ones included)
   */
  public long markDirty(Optional<UUID> org, Optional<Instant> from) {
    String sql = "INSERT INTO analytics.dirty_hours (org_id, bucket_start, full_recompute) "
        + "SELECT DISTINCT org_id, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', true "
        + "FROM analytics.usage_events WHERE occurred_at >= :from"
        + (org.isPresent() ? " AND org_id = :org" : "") + " ON CONFLICT (org_id, bucket_start) DO UPDATE SET full_recompute = true";
    return translate("mark dirty", () -> jdbi.withHandle(h -> {
      var update = h.createUpdate(sql).bind("from", UtcTimestamps.bindable(from.orElse(Instant.EPOCH)));
      org.ifPresent(o -> update.bind("org", o));
      update.execute();
      var count = h.createQuery("SELECT count(*) FROM analytics.dirty_hours WHERE bucket_start >= :from"
          + (org.isPresent() ? " AND org_id = :org" : ""))
          .bind("from", UtcTimestamps.bindable(from.orElse(Instant.EPOCH)).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
      org.ifPresent(o -> count.bind("org", o));
      return count.mapTo(Long.class).one();
    }));
  }

  private static UsageRollup rollup(ResultSet rs) throws SQLException {
    return new UsageRollup(rs.getLong("requests"), rs.getLong("errors"), rs.getLong("input_tokens"),
        rs.getLong("output_tokens"), rs.getLong("cost_micros"), rs.getLong("unpriced_requests"),
        LatencySketch.fromBytes(rs.getBytes("latency_sketch")));
  }

  // Exact for every epoch-microsecond value; multiplying by 1,000 first overflowed before 1677 (issue 8: one event
  // from 1600 made every refresh fail with "long overflow").
  static Instant instant(long epochMicros) {
    return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
  }

  /** An (org, hour) or (org, day) with the start in epoch microseconds, ordered by org then time. */
  private record OrgTime(UUID org, long micros) implements Comparable<OrgTime> {
    @Override
    public int compareTo(OrgTime o) {
      int c = org.compareTo(o.org);
      return c != 0 ? c : Long.compare(micros, o.micros);
    }
  }
}
