package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.out.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommittingAuditLogTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static AuditEntry entry(String subject, int i) {
    return new AuditEntry(Instant.parse("2025-11-01T00:00:00Z").plusMillis(i), subject, "usage.query",
        "analytics:usage:read", "org:org-a", "allow", "reason " + i);
  }

  /**
   * The first append is held inside the store until every other caller has queued, so the rest must form groups:
   * all records land in one valid chain, in fewer store appends than callers, and every caller returns only after
   * the store committed its records, with exactly the records it asked for.
   */
  @Test
  void concurrentCallersJoinGroupsAndReturnOnlyTheirCommittedRecords() throws Exception {
    int callers = 32;
    Gate gate = new Gate(new InMemoryAuditLog());
    GroupCommittingAuditLog log = new GroupCommittingAuditLog(gate, 1_000);
    Future<List<AuditRecord>> first = pool.submit(() -> log.appendAll(List.of(entry("first", 0))));
    gate.entered.await();
    List<Future<Boolean>> others = new ArrayList<>();
    for (int c = 1; c < callers; c++) {
      int caller = c;
      others.add(pool.submit(() -> {
        List<AuditEntry> mine = List.of(entry("caller-" + caller, caller), entry("caller-" + caller, caller + 100));
        List<AuditRecord> records = log.appendAll(mine);
        // Returned only once the store committed them, and they are this caller's own entries.
        return records.stream().allMatch(r -> gate.committed.contains(r.sequence()))
            && records.stream().map(AuditRecord::entry).toList().equals(mine);
      }));
    }
    while (log.queued() < callers - 1) {
      Thread.onSpinWait();
    }
    gate.release.countDown();
    assertThat(first.get().get(0).sequence()).isEqualTo(1);
    for (Future<Boolean> f : others) {
      assertThat(f.get()).isTrue();
    }
    List<AuditRecord> all = gate.range(1, 1_000);
    assertThat(all).extracting(AuditRecord::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + 2L * (callers - 1)).boxed().toList());
    assertThat(AuditChain.verify(all)).isEmpty();
    assertThat(gate.appends.get()).isEqualTo(2);
  }

  @Test
  void aGroupIsBoundedByItsEntryLimit() throws Exception {
    Gate gate = new Gate(new InMemoryAuditLog());
    GroupCommittingAuditLog log = new GroupCommittingAuditLog(gate, 4);
    Future<?> first = pool.submit(() -> log.append(entry("first", 0)));
    gate.entered.await();
    List<Future<?>> others = IntStream.range(1, 9).<Future<?>>mapToObj(i -> pool.submit(() -> log.append(
        entry("c", i)))).toList();
    while (log.queued() < 8) {
      Thread.onSpinWait();
    }
    gate.release.countDown();
    first.get();
    for (Future<?> f : others) {
      f.get();
    }
    assertThat(gate.sizes).containsExactly(1, 4, 4);
    assertThat(log.verify()).isEmpty();
  }

  /** A failed group fails each of its callers; callers in other groups and later callers are unaffected. */
  @Test
  void aFailedGroupFailsEveryCallerInItAndNoneIsAnsweredAsAudited() throws Exception {
    Gate gate = new Gate(new InMemoryAuditLog());
    gate.failOnAppend = 2;
    GroupCommittingAuditLog log = new GroupCommittingAuditLog(gate, 1_000);
    Future<AuditRecord> first = pool.submit(() -> log.append(entry("first", 0)));
    gate.entered.await();
    List<Future<AuditRecord>> group = IntStream.range(1, 6).mapToObj(i -> pool.submit(() -> log.append(
        entry("c", i)))).toList();
    while (log.queued() < 5) {
      Thread.onSpinWait();
    }
    gate.release.countDown();
    assertThat(first.get().sequence()).isEqualTo(1);
    for (Future<AuditRecord> f : group) {
      assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("disk full");
    }
    assertThat(log.append(entry("after", 9)).sequence()).isEqualTo(2);
    assertThat(log.verify()).isEmpty();
  }

  /**
   * With two groups in flight, a second group is handed to the store while the first is still held there, and the
   * third waits until one of them is done: the callers queued meanwhile form it. Every caller still returns only
   * once its own group committed, and the records form one chain.
   */
  @Test
  void withTwoInFlightTheNextGroupIsHandedOnWhileTheFirstCommits() throws Exception {
    Gate gate = new Gate(new InMemoryAuditLog(), 2);
    GroupCommittingAuditLog log = new GroupCommittingAuditLog(gate, 1_000, 2);
    Future<AuditRecord> first = pool.submit(() -> log.append(entry("first", 0)));
    Future<AuditRecord> second = pool.submit(() -> log.append(entry("second", 1)));
    gate.entered.await();
    assertThat(log.inFlight()).isEqualTo(2);
    List<Future<AuditRecord>> rest = IntStream.range(2, 10).mapToObj(i -> pool.submit(() -> log.append(
        entry("c", i)))).toList();
    while (log.queued() < 8) {
      Thread.onSpinWait();
    }
    assertThat(gate.appends.get()).isEqualTo(2);
    assertThat(first.isDone() || second.isDone()).isFalse();
    gate.release.countDown();
    List<AuditRecord> records = new ArrayList<>(List.of(first.get(), second.get()));
    for (Future<AuditRecord> f : rest) {
      records.add(f.get());
    }
    assertThat(records).allMatch(r -> gate.committed.contains(r.sequence()));
    assertThat(gate.sizes).containsExactly(1, 1, 8);
    assertThat(records).extracting(AuditRecord::sequence)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(log.verify()).isEmpty();
  }

  /** Holds the first appends until released; counts appends and their sizes; fails the n-th when told to. */
  private static final class Gate implements AuditLog {
    final AuditLog store;
    final int held;
    final CountDownLatch entered;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger appends = new AtomicInteger();
    final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    final Set<Long> committed = ConcurrentHashMap.newKeySet();
    int failOnAppend = -1;

    Gate(AuditLog store) {
      this(store, 1);
    }

    /** @param held how many of the first appends wait for {@link #release} */
    Gate(AuditLog store, int held) {
      this.store = store;
      this.held = held;
      this.entered = new CountDownLatch(held);
    }

    @Override
    public List<AuditRecord> appendAll(List<AuditEntry> entries) {
      int n = appends.incrementAndGet();
      sizes.add(entries.size());
      if (n <= held) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      if (n == failOnAppend) {
        throw new IllegalStateException("disk full");
      }
      List<AuditRecord> records = store.appendAll(entries);
      records.forEach(r -> committed.add(r.sequence()));
      return records;
    }

    @Override
    public io.tally.analytics.core.audit.AuditHead head() {
      return store.head();
    }

    @Override
    public List<AuditRecord> range(long fromSequence, int limit) {
      return store.range(fromSequence, limit);
    }
  }
}
