package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.UsageRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.StreamPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What both ingest strategies must do; each strategy's IT supplies its loader and database. */
abstract class UsageBatchAppenderContract {

  static final Instant T0 = Instant.parse("2026-10-01T10:15:30.123Z");

  abstract TestDatabases db();

  abstract IngestStrategy strategy();

  private UsageBatchAppender appender;

  private AppendCounts append(UsageBatch batch) {
    return appender.appendWithOutcomes(batch).counts();
  }
  private UUID org;

  @BeforeEach
  void freshOrg() {
    appender =
        new UsageBatchAppender(db().jdbi(), strategy(), new PartitionMaintainer(db().jdbi(), EventTimeWindow.defaults(), () -> T0),
            () -> T0);
    org = UUID.randomUUID(); // tests share the class's database; each works in its own org
  }

  @Test
  void appendsANewBatchAndRecordsIt() {
    List<UsageEventRow> rows = events(org, "a", 500, T0);
    UsageBatch batch = httpBatch(rows);

    AppendCounts outcome = append(batch);

    assertThat(outcome).isEqualTo(new AppendCounts(500, 500, 0, 0, false));
    assertThat(count("SELECT count(*) FROM analytics.usage_events WHERE org_id = ?", org)).isEqualTo(500);
    assertThat(count("SELECT count(*) FROM analytics.usage_event_keys WHERE org_id = ?", org)).isEqualTo(500);
    assertThat(count("SELECT count(*) FROM analytics.dirty_hours WHERE org_id = ?", org))
        .isEqualTo(distinctHours(rows));
    Jdbi jdbi = db().jdbi();
    String recorded =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT concat_ws(',', source, request_id, received, inserted, duplicates, conflicts)"
                            + " FROM analytics.ingestion_batches WHERE id = :id")
                    .bind("id", batch.batchId())
                    .mapTo(String.class)
                    .one());
    assertThat(recorded).isEqualTo("http,req-1,500,500,0,0");
  }

  @Test
  void reAppendingTheSameBatchCountsEveryRowAsADuplicate() {
    List<UsageEventRow> rows = events(org, "b", 300, T0);
    append(httpBatch(rows));

    AppendCounts again = append(httpBatch(rows));

    assertThat(again).isEqualTo(new AppendCounts(300, 0, 300, 0, false));
    assertThat(count("SELECT count(*) FROM analytics.usage_events WHERE org_id = ?", org)).isEqualTo(300);
    assertThat(count("SELECT count(*) FROM analytics.usage_event_conflicts WHERE org_id = ?", org)).isZero();
  }

  @Test
  void aResendWithADifferentPayloadIsAConflictAndTheFirstWriteWins() {
    UsageEventRow first = row(org, "c-1", T0, 100, 50, 900);
    UsageEventRow changedTokens = row(org, "c-1", T0, 999, 50, 900);
    UsageEventRow movedToAnotherDay = row(org, "c-1", T0.minusSeconds(3 * 86_400), 100, 50, 900);
    append(httpBatch(List.of(first)));

    AppendCounts outcome = append(httpBatch(List.of(changedTokens)));
    AppendCounts moved = append(httpBatch(List.of(movedToAnotherDay)));

    assertThat(outcome).isEqualTo(new AppendCounts(1, 0, 0, 1, false));
    assertThat(moved).isEqualTo(new AppendCounts(1, 0, 0, 1, false));
    assertThat(count("SELECT count(*) FROM analytics.usage_events WHERE org_id = ?", org)).isEqualTo(1);
    assertThat(count("SELECT sum(input_tokens) FROM analytics.usage_events WHERE org_id = ?", org))
        .isEqualTo(100);
    assertThat(
            count(
                "SELECT count(*) FROM analytics.usage_event_conflicts WHERE org_id = ? AND first_fingerprint = '"
                    + first.fingerprint()
                    + "'",
                org))
        .isEqualTo(2);
  }

  @Test
  void inBatchRepeatsAreCountedDefensively() {
    UsageEventRow a = row(org, "d-1", T0);
    UsageEventRow aAgain = row(org, "d-1", T0);
    UsageEventRow aChanged = row(org, "d-1", T0, 7, 7, 7);
    UsageEventRow b = row(org, "d-2", T0);

    AppendCounts outcome = append(httpBatch(List.of(a, b, aAgain, aChanged)));

    assertThat(outcome).isEqualTo(new AppendCounts(4, 2, 1, 1, false));
    assertThat(count("SELECT count(*) FROM analytics.usage_events WHERE org_id = ?", org)).isEqualTo(2);
  }

  @Test
  void lateEventsGetTheirPartitionOnDemand() {
    Instant late = Instant.parse("2025-09-03T04:05:06Z");

    AppendCounts outcome = append(httpBatch(List.of(row(org, "e-1", late))));

    assertThat(outcome.inserted()).isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM analytics.usage_events_p20250903 WHERE org_id = ?", org))
        .isEqualTo(1);
  }

  @Test
  void streamOffsetsOnlyMoveForward() {
    String consumer = "consumer-" + org;
    AppendCounts at10 = append(streamBatch(events(org, "f10", 3, T0), consumer, 10));
    AppendCounts at5 = append(streamBatch(events(org, "f5", 3, T0), consumer, 5));
    AppendCounts at10Again = append(streamBatch(events(org, "f10", 3, T0), consumer, 10));
    long stored5or10 = offset(consumer);
    AppendCounts at11 = append(streamBatch(events(org, "f11", 3, T0), consumer, 11));

    assertThat(at10.offsetAdvanced()).isTrue();
    assertThat(at5.offsetAdvanced()).isFalse();
    assertThat(at10Again.offsetAdvanced()).isFalse();
    assertThat(at10Again.duplicates()).isEqualTo(3);
    assertThat(stored5or10).isEqualTo(10);
    assertThat(at11.offsetAdvanced()).isTrue();
    assertThat(offset(consumer)).isEqualTo(11);
  }

  @Test
  void concurrentOverlappingBatchesGiveExactTotals() throws Exception {
    // 6 writers, each appending 4 batches cut from the same 2,000 events with overlapping windows and
    // a different order, so the same keys are contended from several transactions at once.
    List<UsageEventRow> all = events(org, "g", 2_000, T0);
    int writers = 6;
    List<Callable<int[]>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int shift = w * 250;
      tasks.add(
          () -> {
            int[] totals = new int[4];
            for (int b = 0; b < 4; b++) {
              int from = (shift + b * 400) % 1_600;
              List<UsageEventRow> slice = new ArrayList<>(all.subList(from, from + 400));
              if ((b + shift) % 2 == 1) {
                java.util.Collections.reverse(slice);
              }
              AppendCounts o = append(httpBatch(slice));
              totals[0] += o.received();
              totals[1] += o.inserted();
              totals[2] += o.duplicates();
              totals[3] += o.conflicts();
            }
            return totals;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    int[] sum = new int[4];
    try {
      for (Future<int[]> f : pool.invokeAll(tasks)) {
        int[] t = f.get();
        for (int i = 0; i < 4; i++) {
          sum[i] += t[i];
        }
      }
    } finally {
      pool.shutdownNow();
    }
    long stored = count("SELECT count(*) FROM analytics.usage_events WHERE org_id = ?", org);
    assertThat(sum[1]).isEqualTo((int) stored);
    assertThat(sum[2]).isEqualTo(sum[0] - sum[1]);
    assertThat(sum[3]).isZero();
    assertThat(stored)
        .isEqualTo(count("SELECT count(DISTINCT event_id) FROM analytics.usage_events WHERE org_id = ?", org));
  }

  static List<UsageEventRow> events(UUID org, String prefix, int n, Instant start) {
    List<UsageEventRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(row(org, prefix + "-" + i, start.plusSeconds(37L * i), 10 + i, 5 + i, 100 + i));
    }
    return rows;
  }

  static UsageBatch httpBatch(List<UsageEventRow> rows) {
    return new UsageBatch(UUID.randomUUID(), "http", Optional.empty(), Optional.of("req-1"), rows);
  }

  static UsageBatch streamBatch(List<UsageEventRow> rows, String consumer, long offset) {
    return new UsageBatch(
        UUID.randomUUID(),
        "stream",
        Optional.of(new StreamPosition("analytics.usage.v1", consumer, offset)),
        Optional.empty(),
        rows);
  }

  private long distinctHours(List<UsageEventRow> rows) {
    return rows.stream()
        .map(r -> r.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.HOURS))
        .distinct()
        .count();
  }

  private long offset(String consumer) {
    return db().jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_offset FROM analytics.stream_offsets WHERE consumer = :c")
                    .bind("c", consumer)
                    .mapTo(Long.class)
                    .one());
  }

  private long count(String sql, UUID orgId) {
    return db().jdbi()
        .withHandle(h -> h.select(sql, orgId).mapTo(Long.class).one());
  }
}
