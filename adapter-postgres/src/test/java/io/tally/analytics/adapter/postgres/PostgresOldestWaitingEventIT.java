package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.testdata.Actors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The oldest event waiting for the rollup, which {@code tally verify} holds to 5 minutes (issue 10), next to the
 * quarantine of issue 8: a quarantined hour stays dirty and keeps its organisation's watermark where it was, and
 * neither may turn into a freshness failure of the hours the rollup does process.
 */
class PostgresOldestWaitingEventIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-0000000000c8");
  private static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");
  private static final Instant HEALTHY_HOUR = Instant.parse("2026-11-01T10:00:00Z");
  private static final Instant QUARANTINED_HOUR = Instant.parse("2026-11-01T11:00:00Z");

  private static FingerprintedEvent event(String id, Instant at) {
    return FingerprintedEvent.of(new UsageEvent(id, ORG, at, "m", Optional.empty(), Optional.empty(), 3, 1,
        Optional.of(10L), 50, UsageStatus.SUCCESS, Optional.empty(), Optional.empty()));
  }

  @Test
  void aQuarantinedHourIsLeftOutAndAHealthyHourWaitsOnlyFromItsOwnLastRollup() {
    UsageTables.empty(db);
    PostgresUsageModule tally = new PostgresUsageModule(db.jdbi(), T0);
    tally.events.append(new IngestionBatch("b1", IngestSource.direct(),
        List.of(event("h-1", HEALTHY_HOUR.plusSeconds(60)), event("q-1", QUARANTINED_HOUR.plusSeconds(60)))));
    tally.quarantine.record(RollupRetryPolicy.DEFAULT.firstFailure(OrgHour.of(ORG, QUARANTINED_HOUR),
        "22003: numeric value out of range", T0));
    assertThat(tally.freshness.oldestWaitingEvent()).as("the healthy hour waits").contains(T0);

    tally.clock.advance(Duration.ofSeconds(1));
    tally.rollup.run(new RunRollupCommand(Actors.system(), 1_000, 100));
    assertThat(tally.quarantine.count()).as("not due yet: the hour stays quarantined and dirty").isEqualTo(1);
    assertThat(tally.freshness.oldestWaitingEvent()).as("the quarantined hour's event is not a freshness lag")
        .isEmpty();

    // Ten minutes on, a new event of the healthy hour: the organisation's watermark has not moved since before the
    // first event (the quarantined hour keeps it dirty), so only the hour's own last rollup says what waits.
    tally.clock.advance(Duration.ofMinutes(10));
    Instant arrived = tally.clock.now();
    tally.events.append(new IngestionBatch("b2", IngestSource.direct(),
        List.of(event("h-2", HEALTHY_HOUR.plusSeconds(120)))));
    assertThat(tally.freshness.oldestWaitingEvent()).as("h-1 was rolled up; h-2 waits since it arrived")
        .contains(arrived);

    tally.clock.advance(Duration.ofSeconds(1));
    tally.rollup.run(new RunRollupCommand(Actors.system(), 1_000, 100));
    assertThat(tally.freshness.oldestWaitingEvent()).isEmpty();
  }
}
