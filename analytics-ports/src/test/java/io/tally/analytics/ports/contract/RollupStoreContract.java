package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupCalculator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupHourException;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.UsageEventStore;
import io.tally.analytics.ports.service.RollupRefresher;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link RollupStore} must show, together with the {@link UsageEventStore} that marks its
 * buckets dirty and the {@link FreshnessStore} whose watermark it advances (one database in production).
 */
public abstract class RollupStoreContract {
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-10-08T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

  /**
   * The four stores over one clean database.
   *
   * @param events raw events
   * @param rollups rollups
   * @param freshness watermarks
   * @param quarantine hours set apart after a failed rollup, which the rollup store passes over and releases
   */
  public record Fixture(UsageEventStore events, RollupStore rollups, FreshnessStore freshness,
      RollupQuarantine quarantine) {}

  /** @return stores over a new, empty database (called once per test) */
  protected abstract Fixture newFixture();

  protected Fixture fixture;
  private final List<UsageEvent> appended = new ArrayList<>();

  @BeforeEach
  void createFixture() {
    fixture = newFixture();
    appended.clear();
  }

  private void append(UsageEvent... events) {
    List<FingerprintedEvent> list = new ArrayList<>();
    for (UsageEvent e : events) {
      list.add(FingerprintedEvent.of(e));
    }
    fixture.events().append(new IngestionBatch("r-" + BATCHES.incrementAndGet(), IngestSource.direct(), list));
  }

  private void appendNew(UsageEvent... events) {
    append(events);
    appended.addAll(List.of(events));
  }

  private RollupRefresher refresher() {
    return new RollupRefresher(fixture.rollups(), fixture.freshness(), RollupComputation.standard());
  }

  private RefreshResult refreshAll() {
    return refresher().refreshDirty(10_000, NOW);
  }

  private Map<RollupKey, UsageRollup> stored(UUID org, BucketWidth width) {
    Map<RollupKey, UsageRollup> map = new LinkedHashMap<>();
    fixture.rollups().query(org, width, START, END, Optional.empty()).forEach(r -> map.put(r.key(), r.rollup()));
    return map;
  }

  private Map<RollupKey, UsageRollup> expected(UUID org, BucketWidth width) {
    return RollupCalculator.rollup(appended.stream().filter(e -> e.orgId().equals(org)).toList(), width);
  }

  private List<UsageEvent> spread(UUID org, int count) {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(UsageEvents.anEvent().withOrg(org).withModel(i % 3 == 0 ? "mistral-7b" : "llama-3-70b")
          .at(START.plus(Duration.ofMinutes(i * 47L))).withTokens(i, 2L * i).withCost(i * 3L)
          .withLatency(10 + (i * 37L) % 3000).build());
    }
    return events;
  }

  @Test
  void refreshMakesHourlyAndDailyRollupsEqualToOnePassOverRawEvents() {
    appendNew(spread(UsageEvents.ORG_A, 120).toArray(UsageEvent[]::new));
    assertThat(fixture.rollups().dirtyBucketCount()).isPositive();
    RefreshResult result = refreshAll();
    assertThat(result.eventsRead()).isEqualTo(120);
    assertThat(result.dirtyRemaining()).isZero();
    assertThat(fixture.rollups().dirtyBucketCount()).isZero();
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.HOUR));
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.DAY)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.DAY));
  }

  @Test
  void aLateEventReopensOnlyItsBucket() {
    appendNew(spread(UsageEvents.ORG_A, 60).toArray(UsageEvent[]::new));
    refreshAll();
    UsageEvent late = UsageEvents.anEvent().at("2026-10-02T05:30:00Z").withLatency(4000).build();
    appendNew(late);
    assertThat(fixture.rollups().dirtyBucketCount()).isEqualTo(1);
    RefreshResult result = refreshAll();
    assertThat(result.hourlyBucketsRefreshed()).isEqualTo(1);
    assertThat(result.dailyBucketsRefreshed()).isEqualTo(1);
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.HOUR));
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.DAY)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.DAY));
  }

  @Test
  void duplicatesAndConflictsChangeNoRollup() {
    UsageEvent first = UsageEvents.anEvent().at("2026-10-01T10:00:00Z").build();
    appendNew(first);
    refreshAll();
    append(first);
    append(UsageEvents.from(first).withTokens(5000, 5000).build());
    append(UsageEvents.from(first).at("2026-10-03T10:00:00Z").build());
    refreshAll();
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.HOUR));
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.DAY)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.DAY));
  }

  @Test
  void boundedRefreshesConvergeAndOnlyCleanOrgsAdvanceTheirWatermark() {
    appendNew(spread(UsageEvents.ORG_A, 50).toArray(UsageEvent[]::new));
    long dirty = fixture.rollups().dirtyBucketCount();
    assertThat(dirty).isGreaterThan(3);
    RefreshResult first = refresher().refreshDirty(3, NOW);
    assertThat(first.hourlyBucketsRefreshed()).isEqualTo(3);
    assertThat(first.dirtyRemaining()).isEqualTo(dirty - 3);
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).as("org still dirty").isEmpty();
    int steps = 1;
    RefreshResult step = first;
    while (step.dirtyRemaining() > 0) {
      step = refresher().refreshDirty(3, NOW.plusSeconds(steps++));
    }
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).contains(NOW.plusSeconds(steps - 1));
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.DAY)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.DAY));
  }

  @Test
  void anIdleRefreshStillAdvancesTheWatermarkOfKnownOrgs() {
    appendNew(UsageEvents.anEvent().build());
    refreshAll();
    RefreshResult idle = refresher().refreshDirty(10, NOW.plusSeconds(30));
    assertThat(idle).isEqualTo(new RefreshResult(0, 0, 0, 0));
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).contains(NOW.plusSeconds(30));
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_B)).isEmpty();
  }

  @Test
  void aRunThatLeavesAnOrgDirtyAdvancesTheCleanOrgsOnly() {
    appendNew(UsageEvents.anEvent().build(), UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).build());
    refreshAll();
    appendNew(spread(UsageEvents.ORG_A, 50).toArray(UsageEvent[]::new));
    RefreshResult partial = refresher().refreshDirty(3, NOW.plusSeconds(60));
    assertThat(partial.dirtyRemaining()).isPositive();
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).as("dirty: complete only as of the last run "
        + "that left it clean").contains(NOW);
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_B)).contains(NOW.plusSeconds(60));
  }

  @Test
  void queriesAreOrderedFilteredAndStartInclusiveEndExclusive() {
    appendNew(
        UsageEvents.anEvent().withModel("qwen-14b").at("2026-10-01T10:00:00Z").build(),
        UsageEvents.anEvent().withModel("llama-3-70b").at("2026-10-01T10:59:59.999Z").build(),
        UsageEvents.anEvent().withModel("llama-3-70b").at("2026-10-01T09:00:00Z").build(),
        UsageEvents.anEvent().withModel("llama-3-70b").at("2026-10-01T11:00:00Z").build(),
        UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at("2026-10-01T10:00:00Z").build());
    refreshAll();
    Instant ten = Instant.parse("2026-10-01T10:00:00Z");
    Instant eleven = Instant.parse("2026-10-01T11:00:00Z");
    List<RollupRow> rows = fixture.rollups().query(UsageEvents.ORG_A, BucketWidth.HOUR, ten, eleven,
        Optional.empty());
    assertThat(rows).extracting(r -> r.key().modelId()).containsExactly("llama-3-70b", "qwen-14b");
    assertThat(rows).allSatisfy(r -> assertThat(r.key().bucketStart()).isEqualTo(ten));
    List<RollupRow> all = fixture.rollups().query(UsageEvents.ORG_A, BucketWidth.HOUR, START, END,
        Optional.of("llama-3-70b"));
    assertThat(all).extracting(r -> r.key().bucketStart()).containsExactly(
        Instant.parse("2026-10-01T09:00:00Z"), ten, eleven);
    assertThat(all.get(1).rollup().requests()).isEqualTo(1);
    List<RollupRow> daily = fixture.rollups().query(UsageEvents.ORG_A, BucketWidth.DAY, START,
        START.plusSeconds(86_400), Optional.empty());
    assertThat(daily).extracting(r -> r.rollup().requests()).containsExactly(3L, 1L);
    assertThat(fixture.rollups().query(UsageEvents.ORG_A, BucketWidth.DAY, START.plusSeconds(1), END,
        Optional.empty())).isEmpty();
  }

  @Test
  void onlyHourlyAndDailyWidthsAreStored() {
    assertThatThrownBy(() -> fixture.rollups().query(UsageEvents.ORG_A, BucketWidth.FIFTEEN_MINUTES, START, END,
        Optional.empty())).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("rollup.unsupported_width"));
  }

  @Test
  void concurrentRefreshesLoseNoBucket() throws InterruptedException {
    appendNew(spread(UsageEvents.ORG_A, 200).toArray(UsageEvent[]::new));
    appendNew(spread(UsageEvents.ORG_B, 200).toArray(UsageEvent[]::new));
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      workers.add(new Thread(() -> {
        RefreshResult r;
        do {
          r = refresher().refreshDirty(5, NOW);
        } while (r.hourlyBucketsRefreshed() > 0);
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    refreshAll();
    assertThat(fixture.rollups().dirtyBucketCount()).isZero();
    for (UUID org : List.of(UsageEvents.ORG_A, UsageEvents.ORG_B)) {
      assertThat(stored(org, BucketWidth.HOUR)).isEqualTo(expected(org, BucketWidth.HOUR));
      assertThat(stored(org, BucketWidth.DAY)).isEqualTo(expected(org, BucketWidth.DAY));
    }
  }

  // Failure boundary (issue 8). Two events whose input tokens overflow a long together: no store can roll their
  // hour up, whatever it computes with.
  private static final long HALF_OVER_MAX = Long.MAX_VALUE / 2 + 1;
  private static final Instant POISON_HOUR = Instant.parse("2026-10-02T07:00:00Z");

  private void appendPoisonHour(UUID org) {
    append(UsageEvents.anEvent().withOrg(org).at(POISON_HOUR.plusSeconds(60)).withTokens(HALF_OVER_MAX, 1).build(),
        UsageEvents.anEvent().withOrg(org).at(POISON_HOUR.plusSeconds(120)).withTokens(HALF_OVER_MAX, 1).build());
  }

  @Test
  void aRefreshThatCannotComputeSomeHourThrowsRollupHourExceptionAndWritesNothing() {
    appendNew(spread(UsageEvents.ORG_A, 10).toArray(UsageEvent[]::new));
    appendPoisonHour(UsageEvents.ORG_B);
    long dirty = fixture.rollups().dirtyBucketCount();
    assertThatThrownBy(this::refreshAll).isInstanceOf(RollupHourException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("rollup.hour_failed"));
    assertThat(fixture.rollups().dirtyBucketCount()).isEqualTo(dirty);
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR)).isEmpty();
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).isEmpty();
  }

  @Test
  void pendingHoursAreTheDirtyHoursNotQuarantinedInClaimOrder() {
    appendNew(UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at("2026-10-01T10:30:00Z").build(),
        UsageEvents.anEvent().at("2026-10-01T11:30:00Z").build(),
        UsageEvents.anEvent().at("2026-10-01T10:30:00Z").withModel("mistral-7b").build(),
        UsageEvents.anEvent().at("2026-10-01T10:40:00Z").build());
    OrgHour a10 = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-10-01T10:00:00Z"));
    OrgHour a11 = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-10-01T11:00:00Z"));
    OrgHour b10 = new OrgHour(UsageEvents.ORG_B, Instant.parse("2026-10-01T10:00:00Z"));
    assertThat(fixture.rollups().pendingHours(10)).containsExactly(a10, a11, b10);
    assertThat(fixture.rollups().pendingHours(2)).containsExactly(a10, a11);
    fixture.quarantine().record(RollupRetryPolicy.DEFAULT.firstFailure(a11, "x", NOW));
    assertThat(fixture.rollups().pendingHours(10)).containsExactly(a10, b10);
  }

  @Test
  void refreshDirtyPassesQuarantinedHoursOverAndTheirOrganisationStaysDirty() {
    appendNew(spread(UsageEvents.ORG_A, 30).toArray(UsageEvent[]::new));
    appendPoisonHour(UsageEvents.ORG_B);
    fixture.quarantine().record(RollupRetryPolicy.DEFAULT.firstFailure(new OrgHour(UsageEvents.ORG_B, POISON_HOUR),
        "rollup.hour_failed: overflow", NOW));
    RefreshResult result = refreshAll();
    assertThat(result.dirtyRemaining()).isEqualTo(1);
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.HOUR));
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.DAY)).isEqualTo(expected(UsageEvents.ORG_A, BucketWidth.DAY));
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).contains(NOW);
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_B)).as("its hour is not rolled up").isEmpty();
    assertThat(fixture.rollups().pendingHours(10)).isEmpty();
    assertThat(fixture.rollups().dirtyBucketCount()).isEqualTo(1);
  }

  @Test
  void refreshHoursRollsUpExactlyThoseHoursAndReleasesThemFromQuarantine() {
    UsageEvent at10 = UsageEvents.anEvent().at("2026-10-01T10:30:00Z").build();
    UsageEvent at11 = UsageEvents.anEvent().at("2026-10-01T11:30:00Z").build();
    appendNew(at10, at11);
    OrgHour a10 = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-10-01T10:00:00Z"));
    fixture.quarantine().record(RollupRetryPolicy.DEFAULT.firstFailure(a10, "earlier failure", NOW));
    RefreshResult result = refresher().refreshHours(List.of(a10), NOW);
    assertThat(result.hourlyBucketsRefreshed()).isEqualTo(1);
    assertThat(result.eventsRead()).isEqualTo(1);
    assertThat(result.dirtyRemaining()).isEqualTo(1);
    assertThat(fixture.quarantine().find(a10)).isEmpty();
    assertThat(stored(UsageEvents.ORG_A, BucketWidth.HOUR).keySet()).extracting(RollupKey::bucketStart)
        .containsExactly(a10.hour());
    assertThat(fixture.freshness().lastRollupAt(UsageEvents.ORG_A)).as("11:00 is still dirty").isEmpty();
    RefreshResult again = refresher().refreshHours(List.of(a10), NOW);
    assertThat(again.hourlyBucketsRefreshed()).as("no longer dirty: skipped").isZero();
  }

  @Test
  void refreshHoursOfAnHourThatCannotBeComputedThrowsAndWritesNothing() {
    appendPoisonHour(UsageEvents.ORG_B);
    OrgHour poison = new OrgHour(UsageEvents.ORG_B, POISON_HOUR);
    assertThatThrownBy(() -> refresher().refreshHours(List.of(poison), NOW))
        .isInstanceOf(RollupHourException.class);
    assertThat(fixture.rollups().dirtyBucketCount()).isEqualTo(1);
    assertThat(fixture.rollups().pendingHours(10)).containsExactly(poison);
  }
}
