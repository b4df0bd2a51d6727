package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamLeaseLostException;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream lease as a fence in the batch transaction (issue 12e): a batch consumed under a lease that has changed
 * hands writes nothing, one under the current lease commits, and a takeover waits for a batch in flight.
 */
class StreamLeaseFenceIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final String STREAM = "fence.stream";
  private static final Duration LONG = Duration.ofMinutes(5);

  private PostgresUsageEventStore store;
  private PostgresStreamLeases leases;

  @BeforeEach
  void empty() {
    UsageTables.empty(db);
    db.jdbi().useHandle(h -> h.execute("TRUNCATE analytics.stream_leases"));
    store = new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK);
    leases = new PostgresStreamLeases(db.jdbi());
  }

  @Test
  void aBatchUnderALeaseAnotherInstanceHoldsIsRefusedAndWritesNothing() throws Exception {
    String consumer = "c-refused";
    StreamLeaseToken mine = leases.acquireOrRenew(STREAM, consumer, "a", Optional.empty(), Duration.ofMillis(1))
        .orElseThrow();
    store.append(batch(mine, 9)); // committed while it held the lease
    Thread.sleep(20); // a stalls past its lease
    StreamLeaseToken theirs = leases.acquireOrRenew(STREAM, consumer, "b", Optional.empty(), LONG).orElseThrow();
    assertThat(theirs.epoch()).isGreaterThan(mine.epoch());
    Counts before = counts(consumer);

    assertThatThrownBy(() -> store.append(batch(mine, 19)))
        .isInstanceOfSatisfying(StreamLeaseLostException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("stream.lease_lost");
          assertThat(e.token()).isEqualTo(mine);
          assertThat(e.getMessage()).contains("b (epoch " + theirs.epoch() + ")");
        });

    assertThat(counts(consumer)).as("no rows, no batch record, no dead letters, offset unchanged").isEqualTo(before);
    assertThat(before).isEqualTo(new Counts(1, 1, 1, 9L));
  }

  @Test
  void theSameInstanceIdUnderAnOlderEpochIsRefusedToo() throws Exception {
    String consumer = "c-same-id";
    StreamLeaseToken first = leases.acquireOrRenew(STREAM, consumer, "same", Optional.empty(), Duration.ofMillis(1))
        .orElseThrow();
    Thread.sleep(20);
    leases.acquireOrRenew(STREAM, consumer, "same", Optional.empty(), LONG).orElseThrow();
    assertThatThrownBy(() -> store.append(batch(first, 4))).isInstanceOf(StreamLeaseLostException.class);
    assertThat(counts(consumer)).isEqualTo(new Counts(0, 0, 0, null));
  }

  @Test
  void aBatchUnderTheCurrentLeaseCommitsAlsoAfterItsExpiryWhenNobodyTookIt() throws Exception {
    String consumer = "c-held";
    StreamLeaseToken mine = leases.acquireOrRenew(STREAM, consumer, "a", Optional.empty(), Duration.ofMillis(1))
        .orElseThrow();
    store.append(batch(mine, 3));
    Thread.sleep(20);
    store.append(batch(mine, 7));
    assertThat(counts(consumer)).isEqualTo(new Counts(2, 2, 2, 7L));
  }

  @Test
  void aBatchWhoseLeaseRowIsGoneIsRefused() {
    String consumer = "c-deleted";
    StreamLeaseToken mine = leases.acquireOrRenew(STREAM, consumer, "a", Optional.empty(), LONG).orElseThrow();
    db.jdbi().useHandle(h -> h.execute("DELETE FROM analytics.stream_leases WHERE consumer = ?", consumer));
    assertThatThrownBy(() -> store.append(batch(mine, 1)))
        .isInstanceOfSatisfying(StreamLeaseLostException.class,
            e -> assertThat(e.getMessage()).contains("no lease row"));
    assertThat(counts(consumer)).isEqualTo(new Counts(0, 0, 0, null));
  }

  @Test
  void aBatchOutsideAnyLeaseIsNotFenced() {
    String consumer = "c-unleased";
    leases.acquireOrRenew(STREAM, consumer, "b", Optional.empty(), LONG).orElseThrow();
    StreamPosition at = new StreamPosition(STREAM, consumer, 5);
    store.append(new IngestionBatch("unleased", IngestSource.stream(at),
        List.of(UsageEvents.anEvent().fingerprinted()), List.of()));
    assertThat(counts(consumer).offset()).isEqualTo(5L);
  }

  @Test
  void aTakeoverWaitsForTheBatchInFlightAndTheNewHolderSeesItsOffset() throws Exception {
    String consumer = "c-in-flight";
    StreamLeaseToken mine = leases.acquireOrRenew(STREAM, consumer, "a", Optional.empty(), Duration.ofMillis(1))
        .orElseThrow();
    UsageBatchAppender appender = new UsageBatchAppender(db.jdbi(), IngestStrategy.adapterDefault(),
        new PartitionMaintainer(db.jdbi(), EventTimeWindow.defaults(), UsageTables.CLOCK), UsageTables.CLOCK);
    CompletableFuture<Optional<StreamLeaseToken>> takeover;
    try (Handle open = db.jdbi().open()) {
      open.begin();
      appender.append(open, usageBatch(mine, 11));
      Thread.sleep(20); // the lease has expired: only the open batch stands between b and the lease
      takeover = CompletableFuture.supplyAsync(
          () -> leases.acquireOrRenew(STREAM, consumer, "b", Optional.empty(), LONG));
      awaitLockWait();
      assertThat(takeover).as("the takeover waits for the batch's FOR SHARE lock").isNotDone();
      open.commit();
    }
    assertThat(takeover.get(10, TimeUnit.SECONDS)).map(StreamLeaseToken::holder).contains("b");
    assertThat(store.committedOffset(STREAM, consumer)).as("the batch committed before the lease changed hands")
        .contains(11L);
    assertThatThrownBy(() -> store.append(batch(mine, 12))).isInstanceOf(StreamLeaseLostException.class);
  }

  /** Until a session waits for a lock on stream_leases (the takeover's upsert behind the batch's FOR SHARE). */
  private static void awaitLockWait() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      int waiting = db.jdbi().withHandle(h -> h.createQuery(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND wait_event_type = 'Lock' AND query LIKE '%stream_leases%'")
          .mapTo(Integer.class).one());
      if (waiting > 0) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the takeover never waited for a lock");
  }

  private static IngestionBatch batch(StreamLeaseToken lease, long lastOffset) {
    StreamPosition at = new StreamPosition(lease.stream(), lease.consumer(), lastOffset);
    IngestSource source = IngestSource.stream(at, lease);
    DeadLetter letter = new DeadLetter("b-" + lastOffset, IngestSource.stream(at), "{not json",
        List.of(new Violation("stream.unreadable", "body", "not JSON")), Instant.parse("2026-10-01T00:00:00Z"));
    return new IngestionBatch("b-" + lease.consumer() + "-" + lastOffset, source,
        List.of(UsageEvents.anEvent().fingerprinted()), List.of(letter));
  }

  private static UsageBatch usageBatch(StreamLeaseToken lease, long lastOffset) {
    StreamPosition at = new StreamPosition(lease.stream(), lease.consumer(), lastOffset);
    FingerprintedEvent e = UsageEvents.anEvent().fingerprinted();
    return new UsageBatch(UUID.randomUUID(), "in-flight", "stream", Optional.of(at), Optional.empty(),
        List.of(UsageEventColumns.row(e)), List.of(), List.of(e.event()), Optional.of(lease));
  }

  record Counts(long events, long batches, long deadLetters, Long offset) {}

  private Counts counts(String consumer) {
    return db.jdbi().withHandle(h -> new Counts(
        h.createQuery("SELECT count(*) FROM analytics.usage_events").mapTo(Long.class).one(),
        h.createQuery("SELECT count(*) FROM analytics.ingestion_batches WHERE consumer = :c").bind("c", consumer)
            .mapTo(Long.class).one(),
        h.createQuery("SELECT count(*) FROM analytics.dead_letters").mapTo(Long.class).one(),
        store.committedOffset(STREAM, consumer).orElse(null)));
  }
}
