package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupCalculator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.PriceBookStore;
import io.tally.analytics.ports.out.PriceChanges;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.UsageEventStore;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link PriceBookStore} must show together with the {@link UsageEventStore} and
 * {@link RollupStore} of the same database: prices round-trip with their source and time, and a change re-prices
 * exactly the stored hours it affects, so the rollups end equal to pricing every event once against the final
 * book ({@link RollupCalculator} with that book). Each test uses its own organisations and model names, so a
 * fixture may share its database with other tests.
 */
public abstract class PriceBookStoreContract {
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-10-08T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant RECORDED = Instant.parse("2026-10-31T12:00:00Z");

  /**
   * The stores over one database.
   *
   * @param events raw events
   * @param rollups rollups
   * @param prices the price book
   */
  public record Fixture(UsageEventStore events, RollupStore rollups, PriceBookStore prices) {}

  /** @return stores over a database (called once per test; it may hold other tests' data) */
  protected abstract Fixture newFixture();

  protected Fixture fixture;
  private final List<UsageEvent> appended = new ArrayList<>();
  private UUID orgA;
  private UUID orgB;
  private String model;
  private String other;

  @BeforeEach
  void createFixture() {
    fixture = newFixture();
    appended.clear();
    orgA = UUID.randomUUID();
    orgB = UUID.randomUUID();
    String suffix = Long.toHexString(System.nanoTime());
    model = "llm-" + suffix;
    other = "small-" + suffix;
  }

  private void append(UsageEvent... events) {
    List<FingerprintedEvent> list = new ArrayList<>();
    for (UsageEvent e : events) {
      list.add(FingerprintedEvent.of(e));
      appended.add(e);
    }
    fixture.events().append(new IngestionBatch("p-" + BATCHES.incrementAndGet(), IngestSource.direct(), list));
  }

  private void refreshAll() {
    RefreshResult r;
    do {
      r = Refreshes.dirty(fixture.rollups(), 10_000, NOW);
    } while (r.dirtyRemaining() > 0 && r.hourlyBucketsRefreshed() > 0);
  }

  private PriceChanges put(ModelPrice... prices) {
    List<PriceEntry> entries = new ArrayList<>();
    for (ModelPrice p : prices) {
      entries.add(new PriceEntry(p, "contract", RECORDED));
    }
    return fixture.prices().put(entries);
  }

  private PriceBook ownBook() {
    return PriceBook.of(fixture.prices().current().entries().stream()
        .filter(p -> p.modelId().equals(model) || p.modelId().equals(other)).toList());
  }

  private Map<RollupKey, UsageRollup> stored(UUID org, BucketWidth width) {
    Map<RollupKey, UsageRollup> map = new LinkedHashMap<>();
    fixture.rollups().query(org, width, START, END, Optional.empty()).forEach(r -> map.put(r.key(), r.rollup()));
    return map;
  }

  private void assertRollupsPriceEveryEventOnceByTheFinalBook() {
    PriceBook book = ownBook();
    for (UUID org : List.of(orgA, orgB)) {
      List<UsageEvent> own = appended.stream().filter(e -> e.orgId().equals(org)).toList();
      for (BucketWidth width : List.of(BucketWidth.HOUR, BucketWidth.DAY)) {
        assertThat(stored(org, width)).as("%s %s", org, width).isEqualTo(RollupCalculator.rollup(own, width, book));
      }
    }
  }

  private List<UsageEvent> spread(UUID org, String modelId, int count, boolean withCost) {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UsageEvents b = UsageEvents.anEvent().withId("e-" + modelId + "-" + i).withOrg(org).withModel(modelId)
          .at(START.plus(Duration.ofMinutes(i * 53L))).withTokens(1_000 + 7L * i, 333 + 11L * i)
          .withLatency(10 + i);
      events.add((withCost ? b.withCost(5L * i) : b.withoutCost()).build());
    }
    return events;
  }

  @Test
  void entriesRoundTripWithTheirSourceAndTime() {
    ModelPrice list = new ModelPrice(model, START, 600_000, 2_400_000);
    ModelPrice override = new ModelPrice(model, Optional.of(orgA), START.plusSeconds(3600), 500_000, 2_000_000);
    ModelPrice small = new ModelPrice(other, START, 100_000, 300_000);
    PriceChanges changes = put(override, list, small);
    assertThat(changes.changes()).extracting(c -> c.key()).containsExactly(list.key(), override.key(), small.key());
    assertThat(changes.changes()).allSatisfy(c -> assertThat(c.before()).isEmpty());
    assertThat(fixture.prices().entries(Optional.of(model))).containsExactly(
        new PriceEntry(list, "contract", RECORDED), new PriceEntry(override, "contract", RECORDED));
    assertThat(fixture.prices().current().priceAt(orgA, model, START.plusSeconds(7200))).contains(override);

    PriceChanges again = fixture.prices().put(List.of(new PriceEntry(list, "other-source", NOW)));
    assertThat(again.changes()).as("same prices: nothing changes").isEmpty();
    assertThat(fixture.prices().entries(Optional.of(model)).get(0).source()).isEqualTo("contract");

    ModelPrice corrected = new ModelPrice(model, START, 700_000, 2_400_000);
    PriceChanges replaced = fixture.prices().put(List.of(new PriceEntry(corrected, "fix", NOW)));
    assertThat(replaced.changes()).singleElement().satisfies(c -> {
      assertThat(c.before()).contains(new PriceEntry(list, "contract", RECORDED));
      assertThat(c.after()).contains(new PriceEntry(corrected, "fix", NOW));
    });

    PriceChanges deleted = fixture.prices().delete(override.key());
    assertThat(deleted.changes()).singleElement().satisfies(c -> assertThat(c.after()).isEmpty());
    assertThat(fixture.prices().delete(override.key()).changes()).isEmpty();
    assertThat(fixture.prices().entries(Optional.of(model))).extracting(PriceEntry::price).containsExactly(corrected);
  }

  @Test
  void unpricedEventsCountAndALaterPriceMakesTheirCostExact() {
    append(spread(orgA, model, 40, false).toArray(UsageEvent[]::new));
    refreshAll();
    UsageRollup before = stored(orgA, BucketWidth.DAY).values().stream().reduce(UsageRollup.empty(),
        UsageRollup::merge);
    assertThat(before.requests()).isEqualTo(40);
    assertThat(before.unpricedRequests()).isEqualTo(40);
    assertThat(before.costMicros()).isZero();
    assertThat(before.inputTokens()).isPositive();

    PriceChanges changes = put(new ModelPrice(model, START.plus(Duration.ofHours(12)), 600_000, 2_400_000));
    assertThat(changes.hoursMarked()).isPositive();
    assertThat(fixture.rollups().dirtyBucketCount()).isPositive();
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
    UsageRollup after = stored(orgA, BucketWidth.DAY).values().stream().reduce(UsageRollup.empty(),
        UsageRollup::merge);
    assertThat(after.unpricedRequests()).as("the events before the price stay unpriced").isBetween(1L, 39L);
    assertThat(after.costMicros()).isPositive();
  }

  @Test
  void theClientsCostWinsAndItsHoursAreNotReopened() {
    append(spread(orgA, model, 20, true).toArray(UsageEvent[]::new));
    refreshAll();
    PriceChanges changes = put(new ModelPrice(model, START, 600_000, 2_400_000));
    assertThat(changes.hoursMarked()).as("no event without cost, nothing to re-price").isZero();
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
    assertThat(stored(orgA, BucketWidth.DAY).values()).allSatisfy(r -> assertThat(r.unpricedRequests()).isZero());
  }

  @Test
  void anOverrideRepricesOnlyItsOrganisationAndADeletionUndoesIt() {
    put(new ModelPrice(model, START, 600_000, 2_400_000));
    append(spread(orgA, model, 30, false).toArray(UsageEvent[]::new));
    append(spread(orgB, model, 30, false).toArray(UsageEvent[]::new));
    refreshAll();
    Map<RollupKey, UsageRollup> orgBBefore = stored(orgB, BucketWidth.HOUR);
    ModelPrice negotiated = new ModelPrice(model, Optional.of(orgA), START.plus(Duration.ofHours(6)), 300_000,
        1_200_000);
    PriceChanges changes = put(negotiated);
    assertThat(changes.hoursMarked()).isPositive();
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
    assertThat(stored(orgB, BucketWidth.HOUR)).isEqualTo(orgBBefore);
    fixture.prices().delete(negotiated.key());
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
  }

  @Test
  void theStoresArithmeticIsTheBooksToTheLastMicro() {
    Instant at = START.plusSeconds(1800);
    append(
        UsageEvents.anEvent().withId("round-down").withOrg(orgA).withModel(model).at(at).withTokens(499_999, 0)
            .withoutCost().build(),
        UsageEvents.anEvent().withId("round-up").withOrg(orgA).withModel(model).at(at).withTokens(500_000, 0)
            .withoutCost().build(),
        UsageEvents.anEvent().withId("big").withOrg(orgA).withModel(model).at(at)
            .withTokens(9_000_000_000_000L, 9_000_000_000_000L).withoutCost().build(),
        UsageEvents.anEvent().withId("too-big").withOrg(orgA).withModel(other).at(at)
            .withTokens(Long.MAX_VALUE / 2, 0).withoutCost().build());
    put(new ModelPrice(model, START, 1, 0), new ModelPrice(other, START, ModelPrice.MAX_MICROS_PER_MILLION, 0));
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
    Map<RollupKey, UsageRollup> hours = stored(orgA, BucketWidth.HOUR);
    assertThat(hours.get(new RollupKey(orgA, model, START)).costMicros()).isEqualTo(0 + 1 + 9_000_000);
    assertThat(hours.get(new RollupKey(orgA, other, START)).unpricedRequests())
        .as("a cost beyond a long is unknown, not wrong").isEqualTo(1);
  }

  @Test
  void pricesPutWhileRefreshesRunEndExact() throws InterruptedException {
    append(spread(orgA, model, 60, false).toArray(UsageEvent[]::new));
    append(spread(orgB, other, 60, false).toArray(UsageEvent[]::new));
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      workers.add(new Thread(() -> {
        while (!stop.get()) {
          Refreshes.dirty(fixture.rollups(), 3, NOW);
        }
      }));
    }
    workers.forEach(Thread::start);
    try {
      for (int i = 0; i < 12; i++) {
        put(new ModelPrice(i % 2 == 0 ? model : other, START.plus(Duration.ofHours(5L * i)), 100_000L * (i + 1),
            200_000L * (i + 1)));
        if (i % 4 == 3) {
          append(spread(orgA, other, 5 + i, false).subList(0, 3).stream()
              .map(e -> UsageEvents.from(e).withId(e.eventId() + "-" + BATCHES.get()).build())
              .toArray(UsageEvent[]::new));
        }
      }
    } finally {
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
    }
    refreshAll();
    assertRollupsPriceEveryEventOnceByTheFinalBook();
  }
}
