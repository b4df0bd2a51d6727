package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.freshness.FreshnessStatus;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.QueryReliability.PercentileMethod;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityPoint;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityQuery;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityReport;
import io.tally.analytics.ports.in.QueryUsage.UsagePoint;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.ports.out.RollupSums;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryServicesTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY1 = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant DAY2 = Instant.parse("2026-10-02T00:00:00Z");
  private static final TimeWindow TWO_DAYS = new TimeWindow(DAY1, Instant.parse("2026-10-03T00:00:00Z"));
  private static final Actor READER = Actors.adminOf(UsageEvents.ORG_A);

  private final InMemoryUsageModule tally = new InMemoryUsageModule(NOW, 50);
  private final List<UsageEvent> events = new ArrayList<>();

  @BeforeEach
  void ingestAndRollUp() {
    for (int i = 0; i < 10; i++) {
      events.add(UsageEvents.anEvent().at(DAY1.plus(Duration.ofMinutes(30L * i))).withTokens(10, 5).withCost(100)
          .withLatency(100L * (i + 1)).build());
    }
    events.add(UsageEvents.anEvent().withModel("mistral-7b").at(DAY1.plusSeconds(60)).withTokens(1, 1).withCost(7)
        .withLatency(50).failed("upstream_timeout").build());
    events.add(UsageEvents.anEvent().at(DAY2.plusSeconds(60)).withTokens(2, 2).withCost(3).withLatency(20).build());
    events.add(UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at(DAY1).build());
    tally.ingest.ingest(new IngestCommand(Actors.system(), "seed", IngestSource.direct(),
        events.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
    RollupRunReport run = tally.rollup.run(new RunRollupCommand(Actors.system(), 2, 100));
    assertThat(run.dirtyRemaining()).isZero();
    assertThat(run.eventsRead()).isEqualTo(events.size());
  }

  private UsageReport usage(Granularity granularity, GroupBy groupBy, Optional<String> model) {
    return tally.usage.query(new UsageQuery(READER, UsageEvents.ORG_A, granularity, TWO_DAYS, model, groupBy));
  }

  private ReliabilityReport reliability(PercentileMethod method, GroupBy groupBy) {
    return tally.reliability.query(new ReliabilityQuery(READER, UsageEvents.ORG_A, Granularity.DAILY, TWO_DAYS,
        Optional.empty(), groupBy, List.of(50.0, 95.0, 99.0), method));
  }

  @Test
  void usageSeriesPerModelAndMerged() {
    UsageReport byModel = usage(Granularity.DAILY, GroupBy.MODEL, Optional.empty());
    assertThat(byModel.series()).containsExactly(
        new UsagePoint(DAY1, Optional.of("llama-3-70b"), new UsageTotals(10, 0, 100, 50, 1000, 0)),
        new UsagePoint(DAY1, Optional.of("mistral-7b"), new UsageTotals(1, 1, 1, 1, 7, 0)),
        new UsagePoint(DAY2, Optional.of("llama-3-70b"), new UsageTotals(1, 0, 2, 2, 3, 0)));
    assertThat(byModel.totals()).isEqualTo(new UsageTotals(12, 1, 103, 53, 1010, 0));
    UsageReport merged = usage(Granularity.DAILY, GroupBy.NONE, Optional.empty());
    assertThat(merged.series()).containsExactly(
        new UsagePoint(DAY1, Optional.empty(), new UsageTotals(11, 1, 101, 51, 1007, 0)),
        new UsagePoint(DAY2, Optional.empty(), new UsageTotals(1, 0, 2, 2, 3, 0)));
    assertThat(usage(Granularity.HOURLY, GroupBy.MODEL, Optional.of("mistral-7b")).series())
        .containsExactly(new UsagePoint(DAY1, Optional.of("mistral-7b"), new UsageTotals(1, 1, 1, 1, 7, 0)));
    assertThat(usage(Granularity.HOURLY, GroupBy.NONE, Optional.empty()).totals()).isEqualTo(byModel.totals());
  }

  @Test
  void everyReadStatesItsFreshness() {
    assertThat(usage(Granularity.DAILY, GroupBy.MODEL, Optional.empty()).freshness().status())
        .isEqualTo(FreshnessStatus.FRESH);
    tally.clock.advance(Duration.ofSeconds(601));
    tally.freshnessCache.clear();
    UsageReport late = usage(Granularity.DAILY, GroupBy.MODEL, Optional.empty());
    assertThat(late.freshness().lagSeconds()).isEqualTo(601);
    assertThat(late.freshness().status()).isEqualTo(FreshnessStatus.STALE);
    assertThat(late.freshness().lastRollupAt()).contains(NOW);
  }

  @Test
  void sketchAndExactPercentilesAgreeWithinTheStatedAccuracy() {
    ReliabilityReport sketch = reliability(PercentileMethod.SKETCH, GroupBy.MODEL);
    ReliabilityReport exact = reliability(PercentileMethod.EXACT, GroupBy.MODEL);
    assertThat(sketch.relativeAccuracy()).hasValue(0.01);
    assertThat(exact.relativeAccuracy()).isEmpty();
    assertThat(sketch.series()).hasSameSizeAs(exact.series());
    ReliabilityPoint llama = exact.series().get(0);
    assertThat(llama.requests()).isEqualTo(10);
    // latencies 100..1000: percentile_cont(0.5) = 550, (0.95) = 955
    assertThat(llama.latency().get(0).latencyMs()).isEqualTo(550.0);
    assertThat(llama.latency().get(1).latencyMs()).isCloseTo(955.0, within(1e-9));
    ReliabilityPoint mistral = sketch.series().get(1);
    assertThat(mistral.errorRate()).isEqualTo(1.0);
    assertThat(mistral.latency().get(0).latencyMs()).isCloseTo(50.0, within(0.5));
    for (int i = 0; i < sketch.series().size(); i++) {
      assertThat(sketch.series().get(i).requests()).isEqualTo(exact.series().get(i).requests());
      assertThat(sketch.series().get(i).errors()).isEqualTo(exact.series().get(i).errors());
    }
    ReliabilityReport merged = reliability(PercentileMethod.EXACT, GroupBy.NONE);
    assertThat(merged.series()).extracting(ReliabilityPoint::requests).containsExactly(11L, 1L);
    assertThat(merged.series().get(0).errorRate()).isCloseTo(1.0 / 11, within(1e-12));
  }

  @Test
  void exactModeRefusesLargeRanges() {
    InMemoryUsageModule tiny = new InMemoryUsageModule(NOW, 5);
    tiny.ingest.ingest(new IngestCommand(Actors.system(), "s", IngestSource.direct(),
        events.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
    assertThatThrownBy(() -> tiny.reliability.query(new ReliabilityQuery(READER, UsageEvents.ORG_A,
        Granularity.DAILY, TWO_DAYS, Optional.empty(), GroupBy.MODEL, List.of(50.0), PercentileMethod.EXACT)))
        .isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("query.exact_range_too_large"));
  }

  @Test
  void readsAreAuthorizedPerOrg() {
    Actor other = Actors.adminOf(UsageEvents.ORG_B);
    assertThatThrownBy(() -> tally.usage.query(new UsageQuery(other, UsageEvents.ORG_A, Granularity.DAILY, TWO_DAYS,
        Optional.empty(), GroupBy.MODEL))).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("auth.cross_org"));
    Actor usageOnly = Actors.withPermission("analytics:usage:read", UsageEvents.ORG_A);
    assertThat(tally.usage.query(new UsageQuery(usageOnly, UsageEvents.ORG_A, Granularity.DAILY, TWO_DAYS,
        Optional.empty(), GroupBy.MODEL)).series()).isNotEmpty();
    assertThatThrownBy(() -> tally.reliability.query(new ReliabilityQuery(usageOnly, UsageEvents.ORG_A,
        Granularity.DAILY, TWO_DAYS, Optional.empty(), GroupBy.MODEL, List.of(50.0), PercentileMethod.SKETCH)))
        .isInstanceOf(TallyException.class);
    assertThatThrownBy(() -> tally.rollup.run(new RunRollupCommand(READER, 1, 1)))
        .isInstanceOf(TallyException.class);
  }

  @Test
  void rangesAreLimitedPerGranularity() {
    TimeWindow twoMonths = new TimeWindow(DAY1, DAY1.plus(Duration.ofDays(60)));
    assertThatThrownBy(() -> new UsageQuery(READER, UsageEvents.ORG_A, Granularity.HOURLY, twoMonths,
        Optional.empty(), GroupBy.MODEL)).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("query.range_too_large"));
    assertThat(new UsageQuery(READER, UsageEvents.ORG_A, Granularity.DAILY, twoMonths, Optional.empty(),
        GroupBy.MODEL)).isNotNull();
  }

  @Test
  void reconcileFindsNoDriftAfterARollupAndDriftBeforeOne() {
    ReconcileCommand command = new ReconcileCommand(READER, UsageEvents.ORG_A, Granularity.HOURLY, TWO_DAYS);
    ReconciliationReport clean = tally.reconcile.reconcile(command);
    assertThat(clean.ok()).isTrue();
    assertThat(clean.maxDrift()).isZero();
    assertThat(clean.bucketsCompared()).isEqualTo(7);

    tally.ingest.ingest(new IngestCommand(Actors.system(), "late", IngestSource.direct(),
        List.of(UsageEvents.anEvent().at(DAY2.plusSeconds(120)).withCost(1000).candidate())));
    ReconciliationReport drifting = tally.reconcile.reconcile(
        new ReconcileCommand(READER, UsageEvents.ORG_A, Granularity.DAILY, TWO_DAYS));
    assertThat(drifting.ok()).isFalse();
    assertThat(drifting.drifts()).singleElement().satisfies(d -> assertThat(d.key().bucketStart()).isEqualTo(DAY2));

    tally.rollup.run(new RunRollupCommand(Actors.system(), 100, 1));
    assertThat(tally.reconcile.reconcile(command).ok()).isTrue();
  }

  /** The usage use case with recent answers kept 5 s, reading the same in-memory stores as {@link #tally}. */
  private final UsageAnswers answers = new UsageAnswers(Duration.ofSeconds(5), 100, tally.clock);
  private final QueryUsageService cachedUsage = new QueryUsageService(tally.accessGuard, RollupSums.of(tally.rollups),
      new FreshnessReader(tally.freshness, FreshnessCache.none(), tally.quarantine,
          new FreshnessPolicy(Duration.ofSeconds(600)), tally.clock), answers);

  private UsageReport cachedUsage(Actor actor, java.util.UUID org) {
    return cachedUsage.query(new UsageQuery(actor, org, Granularity.DAILY, TWO_DAYS, Optional.empty(),
        GroupBy.NONE));
  }

  private void ingestOneMoreOnDay1() {
    tally.ingest.ingest(new IngestCommand(Actors.system(), "late", IngestSource.direct(), List.of(
        UsageEvents.anEvent().at(DAY1.plusSeconds(7)).withTokens(1, 1).withCost(1).candidate())));
  }

  @Test
  void aRepeatedUsageQuestionIsAnsweredAgainWithoutReadingTheRollupsButAuthorizedEveryTime() {
    UsageReport first = cachedUsage(READER, UsageEvents.ORG_A);
    ingestOneMoreOnDay1();
    // The rollups change behind the kept answer (as another instance's run would) without moving the watermark.
    io.tally.analytics.ports.contract.Refreshes.dirty(tally.rollups, 100, tally.clock.now());
    tally.clock.advance(Duration.ofSeconds(4));
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).totals()).isEqualTo(first.totals());
    tally.clock.advance(Duration.ofSeconds(1));
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).totals().requests()).isEqualTo(first.totals().requests() + 1);
    assertThat(tally.accessGuard.decisions()).filteredOn(d -> d.action().equals("usage.query")).hasSize(3);
    assertThatThrownBy(() -> cachedUsage(Actors.adminOf(UsageEvents.ORG_B), UsageEvents.ORG_A))
        .isInstanceOf(TallyException.class);
  }

  @Test
  void aNewRollupIsVisibleAtOnceAfterTheWatermarkMovesOrThisInstancesRunEnds() {
    UsageReport first = cachedUsage(READER, UsageEvents.ORG_A);
    ingestOneMoreOnDay1();
    tally.clock.advance(Duration.ofSeconds(1));
    tally.rollup.run(new RunRollupCommand(Actors.system(), 100, 10)); // not through the answers: the watermark moves
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).freshness().lastRollupAt()).contains(tally.clock.now());
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).totals().requests()).isEqualTo(first.totals().requests() + 1);

    ingestOneMoreOnDay1();
    answers.invalidatingAfter(tally.rollup).run(new RunRollupCommand(Actors.system(), 100, 10)); // same instant
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).totals().requests()).isEqualTo(first.totals().requests() + 2);
  }

  @Test
  void oneOrganisationsKeptAnswerIsNeverServedToAnother() {
    UsageReport a = cachedUsage(READER, UsageEvents.ORG_A);
    UsageReport b = cachedUsage(Actors.adminOf(UsageEvents.ORG_B), UsageEvents.ORG_B);
    assertThat(a.totals().requests()).isEqualTo(12);
    assertThat(b.orgId()).isEqualTo(UsageEvents.ORG_B);
    assertThat(b.totals().requests()).isEqualTo(1);
    assertThat(cachedUsage(READER, UsageEvents.ORG_A).totals()).isEqualTo(a.totals());
  }
}
