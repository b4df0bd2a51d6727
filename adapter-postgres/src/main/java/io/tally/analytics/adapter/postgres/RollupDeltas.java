package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupAccumulator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * The append's half of the incremental rollup: in the append's transaction, after its rows are inserted, the
 * rollup of the inserted rows per (org, model, hour) goes into {@code analytics.usage_rollup_deltas} and their hours
 * are marked dirty as incremental ({@link DirtyHours}); {@link PostgresRollupStore} merges the deltas at refresh.
 *
 * <p><b>Pricing.</b> A book cost is rounded per event, so a delta is priced event by event here, with core's
 * {@link RollupAccumulator}, by the book of this transaction. The append first takes the price lock shared (as a
 * refresh does, {@link PostgresPriceBookStore#lockShared}), then reads the book's version: a price change either
 * committed before (the version moved and the book is reloaded, so the deltas carry the new prices) or waits for
 * this commit and then marks every hour it re-prices full, which recomputes those hours from their raw events and
 * drops their deltas. The lock is taken after the append claimed its keys and before it marks any hour: from then
 * on the append waits only on marks, which are held by transactions that hold the lock shared too (appends,
 * refreshes) and never wait for a price change, so a price change queued for the lock closes no cycle.
 *
 * <p><b>Overflow.</b> A group whose sums overflow a long cannot have a delta: its hour is marked full instead, and
 * the refresh fails on it exactly as it did before deltas existed (and quarantines it). The append never fails for a
 * rollup's sake.
 */
final class RollupDeltas {

  private static final String INSERT =
      """
      INSERT INTO analytics.usage_rollup_deltas (org_id, model_id, bucket_start, requests, errors, input_tokens,
             output_tokens, cost_micros, unpriced_requests, latency_sketch)
      SELECT d.org_id, d.model_id, timestamptz 'epoch' + d.hour_us * interval '1 microsecond', d.requests,
             d.errors, d.input_tokens, d.output_tokens, d.cost_micros, d.unpriced, d.sketch
        FROM unnest(?::uuid[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],
                    ?::int8[], ?::bytea[])
             AS d(org_id, model_id, hour_us, requests, errors, input_tokens, output_tokens, cost_micros, unpriced,
                  sketch)
      """;

  private static final String VERSION = "SELECT version FROM analytics.price_book_version";

  // Hours before models, so one pass over the groups sees an hour's models together.
  private static final Comparator<RollupKey> BY_ORG_HOUR_MODEL = Comparator.comparing(RollupKey::orgId)
      .thenComparing(RollupKey::bucketStart).thenComparing(RollupKey::modelId);

  /** The book as of some version of {@code price_book}. */
  private record VersionedBook(long version, PriceBook book) {}

  private final AtomicReference<VersionedBook> cached = new AtomicReference<>();

  /**
   * Writes the deltas of the inserted rows and marks their hours.
   *
   * @param h the append's handle, inside its transaction
   * @param inserted the events this append inserted (no duplicates or conflicts), any order
   */
  void record(Handle h, List<UsageEvent> inserted) {
    if (inserted.isEmpty()) {
      return;
    }
    PostgresPriceBookStore.lockShared(h);
    PriceBook prices = book(h);
    Map<RollupKey, RollupAccumulator> groups = new TreeMap<>(BY_ORG_HOUR_MODEL);
    TreeMap<DirtyHours.Hour, Boolean> hours = new TreeMap<>();
    for (UsageEvent event : inserted) {
      RollupKey key = new RollupKey(event.orgId(), event.modelId(), BucketWidth.HOUR.bucketStart(event.occurredAt()));
      DirtyHours.Hour hour = new DirtyHours.Hour(key.orgId(), key.bucketStart());
      hours.putIfAbsent(hour, false);
      if (hours.get(hour)) {
        continue;
      }
      try {
        groups.computeIfAbsent(key, k -> new RollupAccumulator(prices)).add(event);
      } catch (ArithmeticException overflow) {
        hours.put(hour, true);
      }
    }
    List<Map.Entry<RollupKey, UsageRollup>> deltas = new ArrayList<>(groups.size());
    for (Map.Entry<RollupKey, RollupAccumulator> group : groups.entrySet()) {
      DirtyHours.Hour hour = new DirtyHours.Hour(group.getKey().orgId(), group.getKey().bucketStart());
      if (!hours.get(hour)) {
        deltas.add(Map.entry(group.getKey(), group.getValue().build()));
      }
    }
    DirtyHours.mark(h, hours);
    insert(h, deltas);
  }

  /** The book of this transaction: the cached one while the version has not moved. */
  private PriceBook book(Handle h) {
    long version = h.createQuery(VERSION).mapTo(Long.class).one();
    VersionedBook current = cached.get();
    if (current == null || current.version() != version) {
      current = new VersionedBook(version, PostgresPriceBookStore.book(h));
      cached.set(current);
    }
    return current.book();
  }

  private static void insert(Handle h, List<Map.Entry<RollupKey, UsageRollup>> deltas) {
    int n = deltas.size();
    if (n == 0) {
      return;
    }
    Object[] orgs = new Object[n];
    String[] models = new String[n];
    long[] hours = new long[n];
    long[] requests = new long[n];
    long[] errors = new long[n];
    long[] input = new long[n];
    long[] output = new long[n];
    long[] cost = new long[n];
    long[] unpriced = new long[n];
    byte[][] sketches = new byte[n][];
    for (int i = 0; i < n; i++) {
      RollupKey k = deltas.get(i).getKey();
      UsageRollup r = deltas.get(i).getValue();
      orgs[i] = k.orgId();
      models[i] = k.modelId();
      hours[i] = UnnestStagingLoader.epochMicros(k.bucketStart());
      requests[i] = r.requests();
      errors[i] = r.errors();
      input[i] = r.inputTokens();
      output[i] = r.outputTokens();
      cost[i] = r.costMicros();
      unpriced[i] = r.unpricedRequests();
      sketches[i] = r.latency().toBytes();
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("uuid", orgs));
      ps.setArray(2, pg.createArrayOf("text", models));
      ps.setArray(3, pg.createArrayOf("int8", hours));
      ps.setArray(4, pg.createArrayOf("int8", requests));
      ps.setArray(5, pg.createArrayOf("int8", errors));
      ps.setArray(6, pg.createArrayOf("int8", input));
      ps.setArray(7, pg.createArrayOf("int8", output));
      ps.setArray(8, pg.createArrayOf("int8", cost));
      ps.setArray(9, pg.createArrayOf("int8", unpriced));
      ps.setArray(10, pg.createArrayOf("bytea", sketches));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PostgresAdapterException("writing rollup deltas failed", e);
    }
  }
}
