package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.pricing.RepricedRange;
import io.tally.analytics.ports.out.PriceBookStore;
import io.tally.analytics.ports.out.PriceChanges;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

/**
 * The price book in {@code analytics.price_book} (V10: list prices and per-organisation overrides, each with its
 * source and time). Reads take the whole table: it holds a few rows per model.
 *
 * <p>A write runs in one transaction that first takes the price lock exclusively ({@link #LOCK_FOR_CHANGE}); a
 * rollup refresh takes the same lock shared as its first statement ({@link #lockShared}). So a write looks
 * for events to re-price only after every refresh that read the old book has committed, and every refresh that
 * starts later waits for the write's commit and reads the new book: no hour can be left priced by a book that is
 * gone. (Taking it after the claim deadlocked: the refresh held claimed marks the write was waiting to update.) An
 * append takes it shared too, before it prices its rollup deltas by the book ({@link RollupDeltas}), for the same
 * reason: the write re-prices the append's hours only after the append committed. The write then marks the (org, hour) of every event without its own cost inside a repriced range
 * ({@link PriceBook#repricedRanges}) with the same statement the append path uses ({@link DirtyHours}), as full: those
 * hours are recomputed from their raw events, and their deltas, priced by the old book, are dropped.
 */
public final class PostgresPriceBookStore implements PriceBookStore {

  // Two int4 keys: a key space of its own, apart from the int8 keys of the rollup's per-day locks.
  private static final String LOCK_FOR_CHANGE = "SELECT pg_advisory_xact_lock(1952541806, 1)";
  private static final String LOCK_FOR_REFRESH = "SELECT pg_advisory_xact_lock_shared(1952541806, 1)";

  private static final String ALL =
      """
      SELECT model_id, org_id, effective_from, input_micros_per_million, output_micros_per_million, source,
             recorded_at
        FROM analytics.price_book
      """;

  private static final String DELETE_KEY =
      """
      DELETE FROM analytics.price_book
       WHERE model_id = :model AND org_id IS NOT DISTINCT FROM CAST(:org AS uuid) AND effective_from = :from
      """;

  private static final String INSERT =
      """
      INSERT INTO analytics.price_book (model_id, org_id, effective_from, input_micros_per_million,
             output_micros_per_million, source, recorded_at)
      VALUES (:model, CAST(:org AS uuid), :from, :input, :output, :source, :recordedAt)
      """;

  // The hours to re-price: every (org, hour) holding an event without its own cost inside one of the ranges.
  // A scan of the events in the ranges' time span (pruned to the partitions from the earliest start): price
  // changes are rare operator actions, and no extra index is paid on every ingested event for them.
  private static final String HOURS_TO_REPRICE =
      """
      SELECT DISTINCT e.org_id, floor(extract(epoch FROM e.occurred_at) / 3600)::bigint AS hour_index
        FROM analytics.usage_events e
        JOIN unnest(?::text[], ?::uuid[], ?::int8[], ?::int8[]) AS r(model_id, org_id, from_us, to_us)
          ON e.model_id = r.model_id
         AND (r.org_id IS NULL OR e.org_id = r.org_id)
         AND e.occurred_at >= timestamptz 'epoch' + r.from_us * interval '1 microsecond'
         AND (r.to_us IS NULL OR e.occurred_at < timestamptz 'epoch' + r.to_us * interval '1 microsecond')
       WHERE e.cost_micros IS NULL
         AND e.occurred_at >= ?
      """;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresPriceBookStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public PriceBook current() {
    return translate("price book read", () -> jdbi.withHandle(PostgresPriceBookStore::book));
  }

  @Override
  public List<PriceEntry> entries(Optional<String> modelId) {
    List<PriceEntry> all = translate("price book read", () -> jdbi.withHandle(PostgresPriceBookStore::read));
    return all.stream().filter(e -> modelId.map(e.price().modelId()::equals).orElse(true))
        .sorted((a, b) -> PriceKey.ORDER.compare(a.key(), b.key())).toList();
  }

  @Override
  public PriceChanges put(List<PriceEntry> entries) {
    return translate("price book write", () -> jdbi.inTransaction(h -> {
      h.execute(LOCK_FOR_CHANGE);
      Map<PriceKey, PriceEntry> stored = byKey(read(h));
      List<PriceChange> changes = new ArrayList<>();
      List<RepricedRange> ranges = new ArrayList<>();
      for (PriceEntry entry : entries) {
        Optional<PriceEntry> before = Optional.ofNullable(stored.get(entry.key()));
        if (before.isPresent() && before.get().price().chargesLike(entry.price())) {
          continue;
        }
        PriceBook old = bookOf(stored);
        delete(h, entry.key());
        insert(h, entry);
        stored.put(entry.key(), entry);
        ranges.addAll(old.repricedRanges(bookOf(stored), entry.key().modelId(), entry.key().orgId()));
        changes.add(new PriceChange(entry.key(), before, Optional.of(entry)));
      }
      changes.sort((a, b) -> PriceKey.ORDER.compare(a.key(), b.key()));
      return new PriceChanges(changes, markRepriced(h, ranges));
    }));
  }

  @Override
  public PriceChanges delete(PriceKey key) {
    return translate("price book write", () -> jdbi.inTransaction(h -> {
      h.execute(LOCK_FOR_CHANGE);
      Map<PriceKey, PriceEntry> stored = byKey(read(h));
      PriceEntry removed = stored.get(key);
      if (removed == null) {
        return new PriceChanges(List.of(), 0);
      }
      PriceBook old = bookOf(stored);
      delete(h, key);
      stored.remove(key);
      long marked = markRepriced(h, old.repricedRanges(bookOf(stored), key.modelId(), key.orgId()));
      return new PriceChanges(List.of(new PriceChange(key, Optional.of(removed), Optional.empty())), marked);
    }));
  }

  /**
   * Takes the read side of the price lock in the caller's transaction: what a refresh does first, before it
   * claims hours and reads the book, and an append before it prices its rollup deltas and marks its hours
   * ({@link RollupDeltas}).
   */
  static void lockShared(Handle h) {
    h.execute(LOCK_FOR_REFRESH);
  }

  /** @return the book as the caller's transaction sees it */
  static PriceBook book(Handle h) {
    return PriceBook.of(read(h).stream().map(PriceEntry::price).toList());
  }

  private static List<PriceEntry> read(Handle h) {
    return h.createQuery(ALL).map((rs, ctx) -> new PriceEntry(
        new ModelPrice(rs.getString("model_id"), Optional.ofNullable(rs.getObject("org_id", UUID.class)),
            UtcTimestamps.read(rs, "effective_from"), rs.getLong("input_micros_per_million"),
            rs.getLong("output_micros_per_million")),
        rs.getString("source"), UtcTimestamps.read(rs, "recorded_at"))).list();
  }

  private static Map<PriceKey, PriceEntry> byKey(List<PriceEntry> entries) {
    Map<PriceKey, PriceEntry> map = new HashMap<>();
    entries.forEach(e -> map.put(e.key(), e));
    return map;
  }

  private static PriceBook bookOf(Map<PriceKey, PriceEntry> stored) {
    return PriceBook.of(stored.values().stream().map(PriceEntry::price).toList());
  }

  private static void delete(Handle h, PriceKey key) {
    h.createUpdate(DELETE_KEY).bind("model", key.modelId()).bind("org", key.orgId().orElse(null))
        .bind("from", UtcTimestamps.bindable(key.effectiveFrom())).execute();
  }

  private static void insert(Handle h, PriceEntry e) {
    ModelPrice p = e.price();
    h.createUpdate(INSERT).bind("model", p.modelId()).bind("org", p.orgId().orElse(null))
        .bind("from", UtcTimestamps.bindable(p.effectiveFrom()))
        .bind("input", p.inputMicrosPerMillionTokens()).bind("output", p.outputMicrosPerMillionTokens())
        .bind("source", e.source()).bind("recordedAt", UtcTimestamps.bindable(e.recordedAt())).execute();
  }

  private static long markRepriced(Handle h, List<RepricedRange> ranges) {
    if (ranges.isEmpty()) {
      return 0;
    }
    int n = ranges.size();
    String[] models = new String[n];
    UUID[] orgs = new UUID[n];
    Long[] from = new Long[n];
    Long[] to = new Long[n];
    Instant earliest = ranges.get(0).start();
    for (int i = 0; i < n; i++) {
      RepricedRange r = ranges.get(i);
      models[i] = r.modelId();
      orgs[i] = r.orgId().orElse(null);
      from[i] = UnnestStagingLoader.epochMicros(r.start());
      to[i] = r.end().map(UnnestStagingLoader::epochMicros).orElse(null);
      earliest = r.start().isBefore(earliest) ? r.start() : earliest;
    }
    TreeSet<DirtyHours.Hour> hours = new TreeSet<>();
    try (PreparedStatement ps = h.getConnection().prepareStatement(HOURS_TO_REPRICE)) {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("text", models));
      ps.setArray(2, pg.createArrayOf("uuid", orgs));
      ps.setArray(3, pg.createArrayOf("int8", from));
      ps.setArray(4, pg.createArrayOf("int8", to));
      ps.setObject(5, UtcTimestamps.bindable(earliest));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hours.add(new DirtyHours.Hour(rs.getObject(1, UUID.class),
              Instant.ofEpochSecond(Math.multiplyExact(rs.getLong(2), 3_600L))));
        }
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("finding the hours to re-price failed", e);
    }
    DirtyHours.mark(h, hours, true);
    return hours.size();
  }
}
