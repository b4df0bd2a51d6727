package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.testdata.Actors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance run: the same 100k-event batch ingested twice, then 5k late events into hours that are
 * already rolled up (and their redelivery, and conflicting resends of old events), then rollups again: exact
 * counts at every step and zero drift between rollups and raw events for every org, hourly and daily.
 */
class PostgresLateEventsDriftIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final int DAYS = 7;
  private static final String[] MODELS = {"llama-3-70b", "llama-3-8b", "qwen-14b", "mixtral-8x7b", "gpt-oss-120b"};
  private static final int BATCH = 5_000;

  private final Actor system = Actors.system();

  @Test
  void duplicatesAndLateEventsLeaveNoDrift() {
    PostgresUsageModule tally = new PostgresUsageModule(db.jdbi(), Instant.parse("2026-11-01T00:00:00Z"));
    SplittableRandom rnd = new SplittableRandom(42);
    List<UUID> orgs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orgs.add(new UUID(rnd.nextLong(), rnd.nextLong()));
    }
    List<FingerprintedEvent> main = events(rnd, orgs, "m", 100_000, Duration.ofDays(DAYS));

    assertThat(append(tally, main)).isEqualTo(new Counts(100_000, 0, 0));
    RollupRunReport first = rollUp(tally);
    assertThat(first.eventsRead()).isEqualTo(100_000);
    assertThat(first.dirtyRemaining()).isZero();

    assertThat(append(tally, main)).as("the same batch again").isEqualTo(new Counts(0, 100_000, 0));
    assertThat(tally.rollups.dirtyBucketCount()).as("duplicates dirty nothing").isZero();

    // Late: occurred in the first two days, whose hours are all rolled up already.
    List<FingerprintedEvent> late = events(rnd, orgs, "late", 5_000, Duration.ofDays(2));
    List<FingerprintedEvent> conflicting = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      UsageEvent e = main.get(i * 997).event();
      conflicting.add(FingerprintedEvent.of(new UsageEvent(e.eventId(), e.orgId(), e.occurredAt(), e.modelId(),
          e.actorId(), e.apiKeyId(), e.inputTokens() + 1, e.outputTokens(), e.costMicros(), e.latencyMs(),
          e.status(), e.errorCode(), e.region())));
    }
    assertThat(append(tally, late)).isEqualTo(new Counts(5_000, 0, 0));
    assertThat(tally.rollups.dirtyBucketCount()).isPositive();
    assertThat(append(tally, late)).isEqualTo(new Counts(0, 5_000, 0));
    assertThat(append(tally, conflicting)).isEqualTo(new Counts(0, 0, 100));

    RollupRunReport second = rollUp(tally);
    assertThat(second.dirtyRemaining()).isZero();
    assertThat(second.hourlyBucketsRefreshed()).isLessThan(first.hourlyBucketsRefreshed());

    TimeWindow window = new TimeWindow(START, START.plus(Duration.ofDays(DAYS)));
    long requests = 0;
    for (UUID org : orgs) {
      for (Granularity granularity : Granularity.values()) {
        ReconciliationReport report =
            tally.reconcile.reconcile(new ReconcileCommand(system, org, granularity, window));
        assertThat(report.ok()).as("%s %s", org, granularity).isTrue();
        assertThat(report.maxDrift()).isZero();
        assertThat(report.drifts()).isEmpty();
      }
      requests += tally.rollups.query(org, BucketWidth.DAY, window.start(), window.end(), Optional.empty())
          .stream().mapToLong((RollupRow r) -> r.rollup().requests()).sum();
    }
    assertThat(requests).isEqualTo(105_000);
  }

  private RollupRunReport rollUp(PostgresUsageModule tally) {
    return tally.rollup.run(new RunRollupCommand(system, 1_000, 10_000));
  }

  private static Counts append(PostgresUsageModule tally, List<FingerprintedEvent> events) {
    long inserted = 0;
    long duplicates = 0;
    long conflicts = 0;
    for (int from = 0; from < events.size(); from += BATCH) {
      List<FingerprintedEvent> slice = events.subList(from, Math.min(events.size(), from + BATCH));
      AppendResult r = tally.events.append(new IngestionBatch(UUID.randomUUID().toString(), IngestSource.direct(),
          slice));
      assertThat(r.perEvent()).hasSameSizeAs(slice);
      inserted += r.inserted();
      duplicates += r.duplicates();
      conflicts += r.conflicts();
    }
    return new Counts(inserted, duplicates, conflicts);
  }

  private static List<FingerprintedEvent> events(SplittableRandom rnd, List<UUID> orgs, String prefix, int n,
      Duration span) {
    List<FingerprintedEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean error = rnd.nextInt(100) < 3;
      long input = rnd.nextLong(10, 5_000);
      long output = error ? 0 : rnd.nextLong(1, 2_000);
      UsageEvent e = new UsageEvent(prefix + "-" + i, orgs.get(rnd.nextInt(orgs.size())),
          START.plusMillis(rnd.nextLong(span.toMillis())), MODELS[rnd.nextInt(MODELS.length)], Optional.empty(),
          Optional.of("key_" + rnd.nextInt(40)), input, output, Optional.of(error ? 0 : input * 3 + output * 7),
          Math.max(5, (long) (600 * Math.exp(rnd.nextGaussian() * 0.6))),
          error ? UsageStatus.ERROR : UsageStatus.SUCCESS, error ? Optional.of("upstream_timeout") : Optional.empty(),
          Optional.of("eu-west"));
      events.add(FingerprintedEvent.of(e));
    }
    return events;
  }

  private record Counts(long inserted, long duplicates, long conflicts) {}
}
