package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.freshness.FreshnessStatus;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.memory.RecordingAccessGuard;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: one hour that cannot be rolled up must not stop the others. It is quarantined with its reason, retried
 * with backoff, and its organisation's freshness says {@code error}.
 */
class RunRollupServiceTest {
  static final Instant NOW = Instant.parse("2026-10-03T00:00:00Z");
  static final Instant POISON_HOUR = Instant.parse("2026-10-02T07:00:00Z");
  static final OrgHour POISON = new OrgHour(UsageEvents.ORG_B, POISON_HOUR);

  final InMemoryUsageModule tally = new InMemoryUsageModule(NOW);
  int batches;

  void append(UsageEvent... events) {
    tally.events.append(new IngestionBatch("b-" + (++batches), IngestSource.direct(),
        List.of(events).stream().map(FingerprintedEvent::of).toList()));
  }

  void appendPoison() {
    long half = Long.MAX_VALUE / 2 + 1;
    append(UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at(POISON_HOUR.plusSeconds(1)).withTokens(half, 1).build(),
        UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at(POISON_HOUR.plusSeconds(2)).withTokens(half, 1).build());
  }

  RollupRunReport run() {
    return tally.rollup.run(new RunRollupCommand(Actors.system(), 5, 100));
  }

  UsageReport usage(java.util.UUID org) {
    return tally.usage.query(new UsageQuery(Actors.adminOf(org), org, Granularity.DAILY,
        new TimeWindow(Instant.parse("2026-10-01T00:00:00Z"), NOW), Optional.empty(), GroupBy.NONE));
  }

  @Test
  void aFailingHourIsQuarantinedAndEveryOtherHourIsRolledUp() {
    for (int i = 0; i < 30; i++) {
      append(UsageEvents.anEvent().at(Instant.parse("2026-10-01T00:10:00Z").plus(Duration.ofMinutes(i * 53L)))
          .build());
    }
    appendPoison();
    append(UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).at("2026-10-01T05:00:00Z").build());

    RollupRunReport report = run();

    assertThat(report.failedHours()).isEqualTo(1);
    assertThat(report.quarantinedHours()).isEqualTo(1);
    assertThat(report.dirtyRemaining()).isEqualTo(1);
    assertThat(usage(UsageEvents.ORG_A).totals().requests()).isEqualTo(30);
    assertThat(usage(UsageEvents.ORG_A).freshness().status()).isEqualTo(FreshnessStatus.FRESH);
    assertThat(usage(UsageEvents.ORG_B).totals().requests()).as("B's other hour").isEqualTo(1);
    QuarantinedHour entry = tally.quarantine.find(POISON).orElseThrow();
    assertThat(entry.attempts()).isEqualTo(1);
    assertThat(entry.reason()).startsWith("rollup.hour_failed: ").contains("ArithmeticException");
    assertThat(entry.nextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(usage(UsageEvents.ORG_B).freshness().status()).isEqualTo(FreshnessStatus.ERROR);
    assertThat(usage(UsageEvents.ORG_B).freshness().reason().orElseThrow()).startsWith("1 hour quarantined")
        .contains(POISON_HOUR.toString()).contains("ArithmeticException");
  }

  @Test
  void aQuarantinedHourIsRetriedOnlyWhenDueWithADoublingBackoff() {
    appendPoison();
    run();
    tally.clock.advance(Duration.ofSeconds(29));
    assertThat(run().failedHours()).as("not due yet").isZero();
    assertThat(tally.quarantine.find(POISON).orElseThrow().attempts()).isEqualTo(1);
    tally.clock.advance(Duration.ofSeconds(1));
    assertThat(run().failedHours()).isEqualTo(1);
    QuarantinedHour second = tally.quarantine.find(POISON).orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.firstFailedAt()).isEqualTo(NOW);
    assertThat(second.nextAttemptAt()).isEqualTo(NOW.plusSeconds(30 + 60));
  }

  @Test
  void aRetryThatSucceedsReleasesTheHourAndFreshnessIsNoLongerAnError() {
    append(UsageEvents.anEvent().at("2026-10-01T05:00:00Z").build());
    OrgHour hour = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-10-01T05:00:00Z"));
    tally.quarantine.record(RollupRetryPolicy.DEFAULT.firstFailure(hour, "rollup.hour_failed: transient", NOW));
    assertThat(run().hourlyBucketsRefreshed()).as("quarantined, not due").isZero();
    assertThat(usage(UsageEvents.ORG_A).freshness().status()).isEqualTo(FreshnessStatus.ERROR);
    tally.clock.advance(Duration.ofSeconds(30));
    RollupRunReport retried = run();
    assertThat(retried.hourlyBucketsRefreshed()).isEqualTo(1);
    assertThat(retried.quarantinedHours()).isZero();
    assertThat(tally.quarantine.find(hour)).isEmpty();
    assertThat(usage(UsageEvents.ORG_A).totals().requests()).isEqualTo(1);
    assertThat(usage(UsageEvents.ORG_A).freshness().status()).isEqualTo(FreshnessStatus.FRESH);
  }

  @Test
  void aStoreFailureThatIsNotAboutAnHourEndsTheRunAndQuarantinesNothing() {
    append(UsageEvents.anEvent().build());
    RollupStore down = (RollupStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RollupStore.class}, (proxy, method, args) -> {
          throw new IllegalStateException("database unreachable");
        });
    RunRollupService service = new RunRollupService(new RecordingAccessGuard(), down, tally.freshness, tally.quarantine,
        RollupRetryPolicy.DEFAULT, RollupComputation.standard(), tally.clock);
    assertThatThrownBy(() -> service.run(new RunRollupCommand(Actors.system(), 5, 5)))
        .hasMessage("database unreachable");
    assertThat(tally.quarantine.count()).isZero();
  }

  @Test
  void withNothingDirtyARunDoesOneStepAndReportsNothing() {
    RollupRunReport idle = run();
    assertThat(idle).isEqualTo(new RollupRunReport(1, 0, 0, 0, 0, 0, 0));
    assertThat(new RefreshResult(0, 0, 0, 0).dirtyRemaining()).isZero();
  }
}
