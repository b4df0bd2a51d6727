package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.ports.out.HourDeltas;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.RollupRefresher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The incremental rollup against PostgreSQL: appends write deltas and incremental marks, a refresh merges them
 * (reading no raw event), full marks (price changes, forced refreshes, overflow) recompute, and appends racing
 * refreshes and price changes end exactly where a recomputation of every hour from its raw events ends.
 */
class PostgresIncrementalRollupIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final Instant HOUR = Instant.parse("2026-10-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();

  private UsageBatchAppender appender;
  private PostgresRollupStore rollups;
  private PostgresPriceBookStore prices;
  private RollupRefresher refresher;

  @BeforeEach
  void setUp() {
    UsageTables.empty(db);
    db.jdbi().useHandle(h -> h.execute("DELETE FROM analytics.price_book"));
    appender = new UsageBatchAppender(db.jdbi(), IngestStrategy.adapterDefault(),
        new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), UsageTables.CLOCK), UsageTables.CLOCK);
    rollups = new PostgresRollupStore(db.jdbi());
    prices = new PostgresPriceBookStore(db.jdbi());
    refresher = new RollupRefresher(rollups, new PostgresFreshnessStore(db.jdbi()), RollupComputation.standard());
  }

  @Test
  void aRefreshMergesTheDeltasOfTheNewEventsIntoTheStoredHourWithoutReadingTheOthers() {
    UUID org = UUID.randomUUID();
    append(row(org, "llama", HOUR.plusSeconds(10), 100, 50, 7L), row(org, "mistral", HOUR.plusSeconds(20), 10, 5, 9L));
    assertThat(count("SELECT count(*) FROM analytics.usage_rollup_deltas")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE NOT full_recompute")).isEqualTo(1);
    assertThat(refreshAll().eventsRead()).isEqualTo(2);

    append(row(org, "llama", HOUR.plusSeconds(30), 1, 2, 3L), row(org, "llama", HOUR.plusSeconds(40), 4, 5, 6L),
        row(org, "llama", HOUR.plusSeconds(50), 7, 8, null));
    RefreshResult merged = refreshAll();
    assertThat(merged.eventsRead()).as("only the three new events, from one delta").isEqualTo(3);
    assertThat(count("SELECT count(*) FROM analytics.usage_rollup_deltas")).isZero();
    assertThat(hourly(org).get(new RollupKey(org, "llama", HOUR)).requests()).isEqualTo(4);
    assertThat(hourly(org).get(new RollupKey(org, "llama", HOUR)).unpricedRequests()).isEqualTo(1);
    assertEqualsFullRecompute(org);
  }

  @Test
  void aPriceChangeMarksTheHoursItRepricesFullAndTheirDeltasGo() {
    UUID org = UUID.randomUUID();
    append(row(org, "llama", HOUR.plusSeconds(10), 1_000_000, 0, null));
    refreshAll();
    append(row(org, "llama", HOUR.plusSeconds(20), 1_000_000, 0, null));
    prices.put(List.of(new PriceEntry(new ModelPrice("llama", Optional.empty(), HOUR, 3, 0), "test", NOW)));
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE full_recompute")).isEqualTo(1);
    assertThat(refreshAll().eventsRead()).as("recomputed from both raw events").isEqualTo(2);
    assertThat(count("SELECT count(*) FROM analytics.usage_rollup_deltas")).isZero();
    UsageRollup hour = hourly(org).get(new RollupKey(org, "llama", HOUR));
    assertThat(hour.costMicros()).isEqualTo(6);
    assertThat(hour.unpricedRequests()).isZero();

    append(row(org, "llama", HOUR.plusSeconds(30), 1_000_000, 0, null));
    assertThat(refreshAll().eventsRead()).as("the new event is priced by the new book in its delta").isEqualTo(1);
    assertThat(hourly(org).get(new RollupKey(org, "llama", HOUR)).costMicros()).isEqualTo(9);
    assertEqualsFullRecompute(org);
  }

  // A price write in flight holds the price lock exclusively: the append waits for its commit, then sees the book's
  // version move and prices its delta by the new book. (The write here marks no hours, so the older event keeps the
  // stored, unpriced rollup: what the hour shows is exactly what each delta was priced by.)
  @Test
  void anAppendWaitsForAPriceWriteInFlightAndPricesItsDeltaByTheNewBook() throws Exception {
    UUID org = UUID.randomUUID();
    append(row(org, "llama", HOUR.plusSeconds(10), 1_000_000, 0, null));
    refreshAll();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Handle write = db.jdbi().open()) {
      write.begin();
      write.execute("SELECT pg_advisory_xact_lock(1952541806, 1)");
      write.createUpdate("INSERT INTO analytics.price_book (model_id, org_id, effective_from, input_micros_per_million,"
              + " output_micros_per_million, source, recorded_at) VALUES ('llama', NULL, :from, 5, 0, 'test', :at)")
          .bind("from", UtcTimestamps.bindable(HOUR)).bind("at", UtcTimestamps.bindable(NOW)).execute();
      Future<?> appending = pool.submit(() -> append(row(org, "llama", HOUR.plusSeconds(20), 1_000_000, 0, null)));
      sleep(300);
      assertThat(appending.isDone()).as("the append waits for the price write").isFalse();
      write.commit();
      appending.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(refreshAll().eventsRead()).isEqualTo(1);
    UsageRollup hour = hourly(org).get(new RollupKey(org, "llama", HOUR));
    assertThat(hour.costMicros()).as("the new event priced by the new book").isEqualTo(5);
    assertThat(hour.unpricedRequests()).as("the old one as the stored rollup had it").isEqualTo(1);
  }

  @Test
  void anAppendWhoseSumsOverflowMarksItsHourFullInsteadOfFailing() {
    UUID org = UUID.randomUUID();
    long half = Long.MAX_VALUE / 2 + 1;
    append(row(org, "llama", HOUR.plusSeconds(10), half, 1, 1L), row(org, "llama", HOUR.plusSeconds(20), half, 1, 1L),
        row(org, "mistral", HOUR.plusSeconds(30), 1, 1, 1L), row(org, "llama", HOUR.plusSeconds(3700), 1, 1, 1L));
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE full_recompute")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM analytics.usage_rollup_deltas")).as("only the next hour's").isEqualTo(1);
  }

  @Test
  void aForcedRefreshMarksFull() {
    UUID org = UUID.randomUUID();
    append(row(org, "llama", HOUR.plusSeconds(10), 1, 1, 1L));
    rollups.markDirty(Optional.of(org), Optional.empty());
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE full_recompute")).isEqualTo(1);
    append(row(org, "llama", HOUR.plusSeconds(20), 1, 1, 1L));
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE full_recompute")).as("an append keeps it full")
        .isEqualTo(1);
  }

  @Test
  void anAppendThatMarksAClaimedHourWaitsForTheRefreshAndItsDeltaIsMergedNextTime() throws Exception {
    UUID org = UUID.randomUUID();
    append(row(org, "llama", HOUR.plusSeconds(10), 1, 1, 1L));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?>[] late = new Future<?>[1];
      HourDeltas taken = rollups.inTransaction(tx -> {
        List<OrgHour> claimed = tx.claimDirty(10);
        late[0] = pool.submit(() -> append(row(org, "llama", HOUR.plusSeconds(20), 1, 1, 1L)));
        sleep(300);
        assertThat(late[0].isDone()).as("the append waits for the claimed mark").isFalse();
        HourDeltas deltas = tx.takeDeltas(claimed);
        tx.upsert(BucketWidth.HOUR, Map.of(new RollupKey(org, "llama", HOUR),
            deltas.deltas().get(new RollupKey(org, "llama", HOUR)).get(0)), NOW);
        return deltas;
      });
      assertThat(taken.deltas().values()).singleElement().satisfies(d -> assertThat(d).hasSize(1));
      late[0].get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE NOT full_recompute")).isEqualTo(1);
    assertThat(refreshAll().eventsRead()).isEqualTo(1);
    assertThat(hourly(org).get(new RollupKey(org, "llama", HOUR)).requests()).isEqualTo(2);
    assertEqualsFullRecompute(org);
  }

  @Test
  void appendsRacingRefreshesAndPriceChangesEndAsARecomputationFromRawEvents() throws Exception {
    UUID org = UUID.randomUUID();
    List<String> models = List.of("llama", "mistral", "gpt");
    AtomicBoolean appending = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> appenders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long seed = t;
        appenders.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int b = 0; b < 40; b++) {
            List<UsageEventRow> rows = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
              rows.add(row(org, models.get(random.nextInt(3)), HOUR.plusSeconds(random.nextInt(3 * 3600)),
                  random.nextInt(5_000), random.nextInt(5_000), random.nextBoolean() ? null : (long) random.nextInt(99)));
            }
            append(rows.toArray(UsageEventRow[]::new));
          }
        }));
      }
      Future<?> repricer = pool.submit(() -> {
        Random random = new Random(7);
        while (appending.get()) {
          prices.put(List.of(new PriceEntry(new ModelPrice(models.get(random.nextInt(3)), Optional.empty(),
              HOUR.plusSeconds(random.nextInt(3) * 3600L), random.nextInt(1_000), random.nextInt(1_000)), "race", NOW)));
          sleep(40);
        }
      });
      Future<?> refreshes = pool.submit(() -> {
        while (appending.get()) {
          refresher.refreshDirty(2, NOW);
        }
      });
      for (Future<?> a : appenders) {
        a.get(120, TimeUnit.SECONDS);
      }
      appending.set(false);
      repricer.get(30, TimeUnit.SECONDS);
      refreshes.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    refreshAll();
    assertThat(count("SELECT count(*) FROM analytics.usage_rollup_deltas")).isZero();
    assertThat(hourly(org).values().stream().mapToLong(UsageRollup::requests).sum()).isEqualTo(2 * 40 * 20);
    assertEqualsFullRecompute(org);
  }

  /** The stored hours and days equal those a recomputation of every hour from its raw events writes. */
  private void assertEqualsFullRecompute(UUID org) {
    Map<RollupKey, UsageRollup> hours = hourly(org);
    Map<RollupKey, UsageRollup> days = stored(org, BucketWidth.DAY);
    rollups.markDirty(Optional.of(org), Optional.empty());
    refreshAll();
    assertThat(hours).isEqualTo(hourly(org));
    assertThat(days).isEqualTo(stored(org, BucketWidth.DAY));
  }

  private RefreshResult refreshAll() {
    RefreshResult r = refresher.refreshDirty(10_000, NOW);
    assertThat(r.dirtyRemaining()).isZero();
    return r;
  }

  private Map<RollupKey, UsageRollup> hourly(UUID org) {
    return stored(org, BucketWidth.HOUR);
  }

  private Map<RollupKey, UsageRollup> stored(UUID org, BucketWidth width) {
    Map<RollupKey, UsageRollup> out = new LinkedHashMap<>();
    rollups.query(org, width, HOUR.minusSeconds(86_400), HOUR.plusSeconds(2 * 86_400), Optional.empty())
        .forEach(r -> out.put(r.key(), r.rollup()));
    return out;
  }

  private void append(UsageEventRow... rows) {
    appender.appendWithOutcomes(new UsageBatch(UUID.randomUUID(), "http", Optional.empty(), Optional.empty(),
        List.of(rows)));
  }

  private static UsageEventRow row(UUID org, String model, Instant at, long input, long output, Long cost) {
    String id = "e-" + IDS.incrementAndGet();
    return new UsageEventRow(org, id, at, model, null, null, input, output, cost, (input + output) % 997,
        input % 5 == 0 ? "error" : "success", null, null, UsageRows.sha256Hex(id));
  }

  private static long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
