package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.contract.AuditLogContract;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.service.GroupCommittingAuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The group committer over the real table: the port's contract, and what a caller sees when it returns. */
class PostgresGroupCommittedAuditLogIT extends AuditLogContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected AuditLog newLog() {
    PolicyTables.empty(db);
    return new GroupCommittingAuditLog(new PostgresAuditLog(db.jdbi()), 1_000);
  }

  /**
   * Each caller reads its own records back, on another connection, the moment its append returns: they are
   * committed (another transaction sees them), and the chain the triggers guarded is whole.
   */
  @Test
  void eachCallerFindsItsRecordCommittedWhenItsAppendReturns() throws Exception {
    eachCallerFindsItsRecordCommitted(1);
  }

  /**
   * The same with two groups in flight (the server's setting): the second is linked to the first's tail and sent
   * before the first commits; the database orders them on the head row, and a caller still returns only committed.
   */
  @Test
  void eachCallerFindsItsRecordCommittedWithTwoGroupsInFlight() throws Exception {
    eachCallerFindsItsRecordCommitted(2);
  }

  private void eachCallerFindsItsRecordCommitted(int groupsInFlight) throws Exception {
    PolicyTables.empty(db);
    PostgresAuditLog store = new PostgresAuditLog(db.jdbi());
    GroupCommittingAuditLog log = new GroupCommittingAuditLog(store, 1_000, groupsInFlight);
    int threads = 16;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        boolean allVisible = true;
        for (int i = 0; i < perThread; i++) {
          AuditEntry entry = new AuditEntry(Instant.parse("2025-11-01T00:00:00Z").plusMillis(i), "t" + thread,
              "usage.query", "analytics:usage:read", "org:org-a", "allow", "r" + i);
          AuditRecord record = log.append(entry);
          allVisible &= store.range(record.sequence(), 1).equals(List.of(record));
        }
        return allVisible;
      }));
    }
    for (Future<Boolean> f : results) {
      assertThat(f.get()).isTrue();
    }
    pool.shutdown();
    List<AuditRecord> all = store.range(1, threads * perThread + 1);
    assertThat(all).extracting(AuditRecord::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
    assertThat(AuditChain.verify(all)).isEmpty();
    assertThat(store.verify()).isEmpty();
  }
}
