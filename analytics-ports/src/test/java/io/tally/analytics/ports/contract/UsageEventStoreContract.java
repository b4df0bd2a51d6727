package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.AppendOutcome;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.IngestSource;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.StreamPosition;
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
 * Behaviour every {@link UsageEventStore} must show. Subclass it and return a clean store per call.
 */
public abstract class UsageEventStoreContract {
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final Instant DAY = Instant.parse("2026-10-01T00:00:00Z");

  /** @return a new, empty store (called once per test) */
  protected abstract UsageEventStore newStore();

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
