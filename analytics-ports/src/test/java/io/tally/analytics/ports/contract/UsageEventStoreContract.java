package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.usage.Violation;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.AppendOutcome;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.UsageEventStore;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link UsageEventStore} must show. Subclass it and return a clean store per call, the
 * {@link DeadLetterStore} reading the same data, and a way to make an append fail part-way.
 */
public abstract class UsageEventStoreContract {
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final Instant DAY = Instant.parse("2026-10-01T00:00:00Z");

  /** @return a new, empty store (called once per test) */
  protected abstract UsageEventStore newStore();

  /** @return the dead letters of the data the latest {@link #newStore()} writes to */
  protected abstract DeadLetterStore deadLetters();

  /**
   * Arranges that from now on every append holding a dead letter with this payload fails the way the store
   * fails on a broken write (a PostgreSQL store: a constraint violated by the dead-letter insert, which runs
   * after the rows and the position).
   *
   * @param payload the payload to refuse
   */
  protected abstract void refuseDeadLetterPayload(String payload);

  protected UsageEventStore store;

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static IngestionBatch batch(FingerprintedEvent... events) {
    return new IngestionBatch("batch-" + BATCHES.incrementAndGet(), IngestSource.direct(), List.of(events));
  }

  protected static IngestionBatch batch(StreamPosition position, FingerprintedEvent... events) {
    return new IngestionBatch("batch-" + BATCHES.incrementAndGet(), IngestSource.stream(position), List.of(events));
  }

  private static EventRange wholeDay(UUID org) {
    return new EventRange(org, DAY, DAY.plusSeconds(86_400), Optional.empty());
  }

  @Test
  void appendsAndFindsEvents() {
    FingerprintedEvent a = UsageEvents.anEvent().fingerprinted();
    FingerprintedEvent b = UsageEvents.anEvent().failed("boom").withCost(0).fingerprinted();
    AppendResult result = store.append(batch(a, b));
    assertThat(result).isEqualTo(new AppendResult(2, 0, 0, List.of(AppendOutcome.INSERTED, AppendOutcome.INSERTED)));
    assertThat(store.find(a.key())).contains(a);
    assertThat(store.find(b.key())).contains(b);
    assertThat(store.count(wholeDay(UsageEvents.ORG_A))).isEqualTo(2);
  }

  @Test
  void reAppendingABatchIsIdempotent() {
    FingerprintedEvent a = UsageEvents.anEvent().fingerprinted();
    FingerprintedEvent b = UsageEvents.anEvent().fingerprinted();
    IngestionBatch batch = batch(a, b);
    store.append(batch);
    AppendResult again = store.append(batch);
    assertThat(again).isEqualTo(new AppendResult(0, 2, 0,
        List.of(AppendOutcome.DUPLICATE, AppendOutcome.DUPLICATE)));
    assertThat(store.count(wholeDay(UsageEvents.ORG_A))).isEqualTo(2);
  }

  @Test
  void aDifferentPayloadIsAConflictAndTheFirstWriteWins() {
    UsageEvent first = UsageEvents.anEvent().withTokens(10, 5).build();
    UsageEvent later = UsageEvents.from(first).withTokens(999, 5).build();
    store.append(batch(FingerprintedEvent.of(first)));
    AppendResult result = store.append(batch(FingerprintedEvent.of(later)));
    assertThat(result.perEvent()).containsExactly(AppendOutcome.CONFLICT);
    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(store.find(first.key())).map(FingerprintedEvent::event).contains(first);
    assertThat(store.conflictingPayloads(first.key())).extracting(FingerprintedEvent::event).containsExactly(later);
    assertThat(store.count(wholeDay(UsageEvents.ORG_A))).isEqualTo(1);
  }

  @Test
  void aResendWithAnotherOccurredAtIsAConflictNotASecondRow() {
    // A time-partitioned table keys rows by occurred_at too; the store must still see the same event.
    UsageEvent first = UsageEvents.anEvent().at("2026-10-01T10:00:00Z").build();
    UsageEvent moved = UsageEvents.from(first).at("2026-10-05T10:00:00Z").build();
    store.append(batch(FingerprintedEvent.of(first)));
    AppendResult result = store.append(batch(FingerprintedEvent.of(moved)));
    assertThat(result.perEvent()).containsExactly(AppendOutcome.CONFLICT);
    assertThat(store.find(first.key())).map(f -> f.event().occurredAt()).contains(first.occurredAt());
    assertThat(store.count(new EventRange(UsageEvents.ORG_A, Instant.parse("2026-10-05T00:00:00Z"),
        Instant.parse("2026-10-06T00:00:00Z"), Optional.empty()))).isZero();
    assertThat(store.conflictingPayloads(first.key())).extracting(FingerprintedEvent::event).containsExactly(moved);
  }

  @Test
  void sameEventIdInAnotherOrgIsAnotherEvent() {
    UsageEvent a = UsageEvents.anEvent().withId("shared-id").withOrg(UsageEvents.ORG_A).build();
    UsageEvent b = UsageEvents.anEvent().withId("shared-id").withOrg(UsageEvents.ORG_B).build();
    AppendResult result = store.append(batch(FingerprintedEvent.of(a), FingerprintedEvent.of(b)));
    assertThat(result.inserted()).isEqualTo(2);
    assertThat(store.count(wholeDay(UsageEvents.ORG_B))).isEqualTo(1);
  }

  @Test
  void outcomesAreAlignedWithTheInput() {
    FingerprintedEvent stored = UsageEvents.anEvent().fingerprinted();
    FingerprintedEvent conflicting = UsageEvents.from(stored.event()).withLatency(1).fingerprinted();
    store.append(batch(stored));
    FingerprintedEvent fresh = UsageEvents.anEvent().fingerprinted();
    AppendResult result = store.append(batch(fresh, conflicting, UsageEvents.anEvent().fingerprinted()));
    assertThat(result.perEvent()).containsExactly(AppendOutcome.INSERTED, AppendOutcome.CONFLICT,
        AppendOutcome.INSERTED);
    AppendResult mixed = store.append(batch(conflicting, fresh));
    assertThat(mixed.perEvent()).containsExactly(AppendOutcome.CONFLICT, AppendOutcome.DUPLICATE);
  }

  @Test
  void scanIsOrderedAndRangesAreStartInclusiveEndExclusive() {
    Instant start = Instant.parse("2026-10-01T10:00:00Z");
    Instant end = Instant.parse("2026-10-01T11:00:00Z");
    FingerprintedEvent atStart = UsageEvents.anEvent().withId("b").at(start).fingerprinted();
    FingerprintedEvent sameInstant = UsageEvents.anEvent().withId("a").at(start).fingerprinted();
    FingerprintedEvent beforeEnd = UsageEvents.anEvent().withId("c").at(end.minusMillis(1)).fingerprinted();
    FingerprintedEvent atEnd = UsageEvents.anEvent().withId("d").at(end).fingerprinted();
    FingerprintedEvent beforeStart = UsageEvents.anEvent().withId("e").at(start.minusMillis(1)).fingerprinted();
    FingerprintedEvent otherModel = UsageEvents.anEvent().withId("f").withModel("mistral-7b")
        .at(start.plusSeconds(60)).fingerprinted();
    FingerprintedEvent otherOrg = UsageEvents.anEvent().withId("g").withOrg(UsageEvents.ORG_B).at(start)
        .fingerprinted();
    store.append(batch(atEnd, beforeEnd, otherModel, atStart, beforeStart, sameInstant, otherOrg));

    List<String> ids = new ArrayList<>();
    store.scan(new EventRange(UsageEvents.ORG_A, start, end, Optional.empty()), e -> ids.add(e.eventId()));
    assertThat(ids).containsExactly("a", "b", "f", "c");
    List<String> llama = new ArrayList<>();
    store.scan(new EventRange(UsageEvents.ORG_A, start, end, Optional.of("llama-3-70b")),
        e -> llama.add(e.eventId()));
    assertThat(llama).containsExactly("a", "b", "c");
    assertThat(store.count(new EventRange(UsageEvents.ORG_A, start, end, Optional.of("mistral-7b")))).isEqualTo(1);
  }

  @Test
  void streamPositionCommitsWithTheBatchAndOnlyMovesForward() {
    assertThat(store.committedOffset("analytics.usage.v1", "tally")).isEmpty();
    store.append(batch(new StreamPosition("analytics.usage.v1", "tally", 41), UsageEvents.anEvent().fingerprinted()));
    assertThat(store.committedOffset("analytics.usage.v1", "tally")).contains(41L);
    store.append(batch(new StreamPosition("analytics.usage.v1", "tally", 17), UsageEvents.anEvent().fingerprinted()));
    assertThat(store.committedOffset("analytics.usage.v1", "tally")).contains(41L);
    store.append(batch(new StreamPosition("analytics.usage.v1", "tally", 99)));
    assertThat(store.committedOffset("analytics.usage.v1", "tally")).as("an empty batch still commits").contains(99L);
    assertThat(store.committedOffset("analytics.usage.v1", "other")).isEmpty();
    assertThat(store.committedOffset("other.stream", "tally")).isEmpty();
  }

  @Test
  void aRedeliveredBatchOfDuplicatesStillCommitsItsPosition() {
    FingerprintedEvent a = UsageEvents.anEvent().fingerprinted();
    store.append(batch(a));
    AppendResult result = store.append(batch(new StreamPosition("s", "c", 5), a));
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(store.committedOffset("s", "c")).contains(5L);
  }

  private static DeadLetter letter(String batchId, IngestSource source, String payload) {
    return new DeadLetter(batchId, source, payload,
        List.of(new Violation("event.invalid_tokens", "inputTokens", "inputTokens must be >= 0")), DAY);
  }

  private static DeadLetter streamLetter(String batchId, long messageOffset, String payload) {
    return letter(batchId, IngestSource.stream(new StreamPosition("s", "c", messageOffset)), payload);
  }

  @Test
  void deadLettersCommitWithTheirBatchAndKeepTheirMessageOffsets() {
    FingerprintedEvent a = UsageEvents.anEvent().fingerprinted();
    DeadLetter third = streamLetter("s/c/0-9", 3, "{\"inputTokens\":-1}");
    DeadLetter seventh = streamLetter("s/c/0-9", 7, "not json");
    store.append(new IngestionBatch("s/c/0-9", IngestSource.stream(new StreamPosition("s", "c", 9)), List.of(a),
        List.of(third, seventh)));

    assertThat(store.committedOffset("s", "c")).contains(9L);
    assertThat(store.find(a.key())).contains(a);
    assertThat(deadLetters().count()).isEqualTo(2);
    assertThat(deadLetters().latest(10)).containsExactly(seventh, third);
    assertThat(deadLetters().latest(10)).extracting(DeadLetter::messageOffset)
        .containsExactly(Optional.of(7L), Optional.of(3L));
  }

  @Test
  void aBatchOfOnlyDeadLettersKeepsThem() {
    DeadLetter rejected = letter("req-batch", IngestSource.http("req-1"), "{\"eventId\":\"x\"}");
    AppendResult result = store.append(new IngestionBatch("req-batch", IngestSource.http("req-1"), List.of(),
        List.of(rejected)));
    assertThat(result.perEvent()).isEmpty();
    assertThat(deadLetters().latest(5)).containsExactly(rejected);
    assertThat(rejected.messageOffset()).isEmpty();
  }

  @Test
  void aFailedAppendLeavesNeitherRowsNorPositionNorDeadLetters() {
    store.append(batch(new StreamPosition("s", "c", 4)));
    refuseDeadLetterPayload("refused by the store");
    FingerprintedEvent a = UsageEvents.anEvent().fingerprinted();
    IngestionBatch doomed = new IngestionBatch("s/c/5-9", IngestSource.stream(new StreamPosition("s", "c", 9)),
        List.of(a), List.of(streamLetter("s/c/5-9", 5, "fine"), streamLetter("s/c/5-9", 6, "refused by the store")));

    assertThatThrownBy(() -> store.append(doomed)).isInstanceOf(RuntimeException.class);
    assertThat(store.find(a.key())).isEmpty();
    assertThat(store.count(wholeDay(UsageEvents.ORG_A))).isZero();
    assertThat(store.committedOffset("s", "c")).contains(4L);
    assertThat(deadLetters().count()).isZero();
  }

  @Test
  void reAppendingAStreamBatchDoesNotDoubleItsDeadLetters() {
    IngestSource upToNine = IngestSource.stream(new StreamPosition("s", "c", 9));
    IngestionBatch first = new IngestionBatch("s/c/0-9", upToNine, List.of(UsageEvents.anEvent().fingerprinted()),
        List.of(streamLetter("s/c/0-9", 2, "two"), streamLetter("s/c/0-9", 8, "eight")));
    store.append(first);
    store.append(first);
    // A redelivery cut differently (another batch id, a longer run) adds only the letters it has new.
    store.append(new IngestionBatch("s/c/2-12", IngestSource.stream(new StreamPosition("s", "c", 12)), List.of(),
        List.of(streamLetter("s/c/2-12", 2, "two"), streamLetter("s/c/2-12", 8, "eight"),
            streamLetter("s/c/2-12", 11, "eleven"))));

    assertThat(deadLetters().count()).isEqualTo(3);
    assertThat(deadLetters().latest(10)).extracting(DeadLetter::payload).containsExactly("eleven", "eight", "two");
    assertThat(store.committedOffset("s", "c")).contains(12L);
  }

  @Test
  void theSameOffsetOfAnotherConsumerOrStreamIsAnotherDeadLetter() {
    store.append(new IngestionBatch("b1", IngestSource.stream(new StreamPosition("s", "c", 9)), List.of(),
        List.of(streamLetter("b1", 4, "x"))));
    store.append(new IngestionBatch("b2", IngestSource.stream(new StreamPosition("s", "other", 9)), List.of(),
        List.of(letter("b2", IngestSource.stream(new StreamPosition("s", "other", 4)), "x"))));
    store.append(new IngestionBatch("b3", IngestSource.stream(new StreamPosition("t", "c", 9)), List.of(),
        List.of(letter("b3", IngestSource.stream(new StreamPosition("t", "c", 4)), "x"))));
    assertThat(deadLetters().count()).isEqualTo(3);
  }

  @Test
  void deadLettersWithoutAStreamOffsetAreNeverMerged() {
    DeadLetter rejected = letter("req-batch", IngestSource.http("req-1"), "same text");
    IngestionBatch batch = new IngestionBatch("req-batch", IngestSource.http("req-1"), List.of(), List.of(rejected));
    store.append(batch);
    store.append(batch);
    assertThat(deadLetters().count()).as("an HTTP client that resends gets its rejections recorded again")
        .isEqualTo(2);
  }

  @Test
  void concurrentAppendsGiveExactCounts() throws InterruptedException {
    int threads = 4;
    int perThread = 200;
    List<FingerprintedEvent> events = new ArrayList<>();
    for (int i = 0; i < perThread; i++) {
      events.add(UsageEvents.anEvent().at(DAY.plusSeconds(i * 60L)).fingerprinted());
    }
    List<AppendResult> results = Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<FingerprintedEvent> mine = new ArrayList<>(events);
      Collections.shuffle(mine, new java.util.Random(t));
      workers.add(new Thread(() -> {
        for (int from = 0; from < mine.size(); from += 25) {
          results.add(store.append(new IngestionBatch("c-" + BATCHES.incrementAndGet(), IngestSource.direct(),
              mine.subList(from, from + 25))));
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    assertThat(results.stream().mapToInt(AppendResult::inserted).sum()).isEqualTo(perThread);
    assertThat(results.stream().mapToInt(AppendResult::duplicates).sum()).isEqualTo(perThread * (threads - 1));
    assertThat(results.stream().mapToInt(AppendResult::conflicts).sum()).isZero();
    assertThat(store.count(wholeDay(UsageEvents.ORG_A))).isEqualTo(perThread);
  }
}
