package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.RollupRefresher;
import io.tally.analytics.ports.out.RollupRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An append that marks an already dirty hour while a refresh claims that hour: the refresh cannot see the
 * append's uncommitted events, so the hour must still be dirty after both commit. With a mark that does nothing
 * on an existing row, the refresh claimed and cleared the hour and the late-committed events were never rolled
 * up (drift until another event touched the hour); the mark now locks the existing row, and the claim skips it.
 */
class PostgresRollupDirtyRaceIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final Instant HOUR = Instant.parse("2026-10-01T10:00:00Z");

  @Test
  void aHourMarkedByAnUncommittedAppendStaysDirtyThroughAConcurrentRefresh() {
    UsageTables.empty(db);
    UUID org = UUID.randomUUID();
    UsageBatchAppender appender = new UsageBatchAppender(db.jdbi(), IngestStrategy.adapterDefault(),
        new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), UsageTables.CLOCK), UsageTables.CLOCK);
    PostgresRollupStore rollups = new PostgresRollupStore(db.jdbi());
    RollupRefresher refresher = new RollupRefresher(rollups, new PostgresFreshnessStore(db.jdbi()),
        RollupComputation.standard());
    appender.appendWithOutcomes(batch(org, "first", HOUR.plusSeconds(60)));
    assertThat(rollups.dirtyBucketCount()).isEqualTo(1);

    try (Handle open = db.jdbi().open()) {
      open.begin();
      appender.append(open, batch(org, "second", HOUR.plusSeconds(120)));
      // The refresh runs on its own connection while the second append is not committed yet.
      refresher.refreshDirty(10, Instant.parse("2026-11-01T00:00:00Z"));
      open.commit();
    }

    assertThat(rollups.dirtyBucketCount()).as("the hour the open append marked is still dirty").isEqualTo(1);
    refresher.refreshDirty(10, Instant.parse("2026-11-01T00:00:01Z"));
    List<RollupRow> hourly = rollups.query(org, BucketWidth.HOUR, HOUR, HOUR.plus(1, ChronoUnit.HOURS),
        Optional.empty());
    assertThat(hourly).hasSize(1);
    assertThat(hourly.get(0).rollup().requests()).isEqualTo(2);
  }

  private static UsageBatch batch(UUID org, String eventId, Instant at) {
    return new UsageBatch(UUID.randomUUID(), "http", Optional.empty(), Optional.of("req-" + eventId),
        List.of(UsageRows.row(org, eventId, at)));
  }
}
