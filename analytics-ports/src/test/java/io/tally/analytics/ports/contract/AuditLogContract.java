package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.out.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link AuditLog} must have. Subclass and return a fresh, empty log. */
public abstract class AuditLogContract {
  private AuditLog log;

  /** @return an empty log */
  protected abstract AuditLog newLog();

  @BeforeEach
  void setUpLog() {
    log = newLog();
  }

  protected static AuditEntry entry(String subject, int i) {
    return new AuditEntry(Instant.parse("2025-11-01T00:00:00Z").plusMillis(i), subject, "usage.query",
        "analytics:usage:read", "org:org-a", i % 2 == 0 ? "allow" : "deny", "reason " + i);
  }

  @Test
  void emptyLogHasTheGenesisHeadAndVerifies() {
    assertThat(log.head()).isEqualTo(AuditHead.genesis());
    assertThat(log.range(1, 10)).isEmpty();
    assertThat(log.verify()).isEmpty();
  }

  @Test
  void appendsAreChainedAndVerify() {
    AuditRecord first = log.append(entry("alice", 0));
    AuditRecord second = log.append(entry("alice", 1));
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(second.previousHash()).isEqualTo(first.hash());
    assertThat(log.head()).isEqualTo(second.head());
    assertThat(log.verify()).isEmpty();
    assertThat(AuditChain.verify(log.range(1, 100))).isEmpty();
  }

  @Test
  void recordsReadBackExactlyAsAppended() {
    AuditRecord written = log.append(entry("bob", 7));
    assertThat(log.range(1, 1)).containsExactly(written);
    assertThat(written.entry()).isEqualTo(entry("bob", 7));
  }

  @Test
  void rangePagesBySequence() {
    for (int i = 0; i < 25; i++) {
      log.append(entry("alice", i));
    }
    assertThat(log.range(11, 10)).extracting(AuditRecord::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
    assertThat(log.range(21, 10)).hasSize(5);
    assertThat(log.range(26, 10)).isEmpty();
  }

  @Test
  void verifiesAgainstAnExportedHead() {
    for (int i = 0; i < 5; i++) {
      log.append(entry("alice", i));
    }
    AuditHead exported = log.head();
    log.append(entry("alice", 5));
    assertThat(log.verifyAgainst(exported)).isEmpty();
    assertThat(log.verifyAgainst(new AuditHead(exported.sequence(), AuditChain.GENESIS_HASH)))
        .contains(exported.sequence());
    assertThat(log.verifyAgainst(new AuditHead(99, exported.hash()))).contains(99L);
  }

  @Test
  void appendAllStoresEntriesInOrderAsConsecutiveSequences() {
    AuditRecord first = log.append(entry("alice", 0));
    List<AuditRecord> batch = log.appendAll(List.of(entry("bob", 1), entry("bob", 2), entry("bob", 3)));
    assertThat(batch).extracting(AuditRecord::sequence).containsExactly(2L, 3L, 4L);
    assertThat(batch.get(0).previousHash()).isEqualTo(first.hash());
    assertThat(batch).extracting(AuditRecord::entry)
        .containsExactly(entry("bob", 1), entry("bob", 2), entry("bob", 3));
    assertThat(log.range(2, 10)).containsExactlyElementsOf(batch);
    assertThat(log.head()).isEqualTo(batch.get(2).head());
    assertThat(log.verify()).isEmpty();
  }

  @Test
  void appendAllNeedsAnEntry() {
    assertThatThrownBy(() -> log.appendAll(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(log.head()).isEqualTo(AuditHead.genesis());
  }

  @Test
  void concurrentAppendsKeepAValidChainWithNoGaps() throws InterruptedException {
    int threads = 8;
    int perThread = 50;
    // Odd workers append in batches of five, so single and batched appends interleave.
    ConcurrentRun.run(threads, worker -> {
      if (worker % 2 == 1) {
        for (int i = 0; i < perThread; i += 5) {
          int from = i;
          log.appendAll(IntStream.range(from, from + 5)
              .mapToObj(k -> entry("worker-" + worker, k)).toList());
        }
        return;
      }
      for (int i = 0; i < perThread; i++) {
        log.append(entry("worker-" + worker, i));
      }
    });
    List<AuditRecord> all = log.range(1, threads * perThread + 10);
    assertThat(all).extracting(AuditRecord::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
    assertThat(AuditChain.verify(all)).isEmpty();
    assertThat(log.verify()).isEmpty();
  }
}
