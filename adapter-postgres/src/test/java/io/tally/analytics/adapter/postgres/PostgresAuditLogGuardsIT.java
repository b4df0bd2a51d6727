package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the database itself guarantees about the audit log, beyond the port's contract. */
class PostgresAuditLogGuardsIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private PostgresAuditLog log;

  @BeforeEach
  void emptyLog() {
    PolicyTables.empty(db);
    log = new PostgresAuditLog(db.jdbi());
  }

  private static AuditEntry entry(String subject, int i) {
    return new AuditEntry(Instant.parse("2025-11-01T00:00:00Z").plusSeconds(i), subject, "usage.query",
        "analytics:usage:read", "org:org-a", AuditEntry.ALLOW, "granted " + i);
  }

  @Test
  void updateDeleteAndTruncateAreRejectedByTheDatabase() {
    log.append(entry("alice", 0));
    log.append(entry("alice", 1));
    Jdbi jdbi = db.jdbi();
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(
        "UPDATE analytics.audit_log SET decision = 'deny' WHERE sequence = 1")))
        .hasMessageContaining("append-only (UPDATE rejected)");
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("DELETE FROM analytics.audit_log WHERE sequence = 2")))
        .hasMessageContaining("append-only (DELETE rejected)");
    assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("TRUNCATE analytics.audit_log")))
        .hasMessageContaining("append-only (TRUNCATE rejected)");
    assertThat(log.range(1, 10)).hasSize(2);
    assertThat(log.verify()).isEmpty();
  }

  @Test
  void anInsertThatDoesNotContinueTheHeadIsRejected() {
    AuditRecord first = log.append(entry("alice", 0));
    // A fork: a second record claiming to follow genesis. A gap: sequence 3 after 1.
    AuditRecord fork = AuditChain.link(AuditHead.genesis(), entry("mallory", 1));
    AuditRecord gap = AuditChain.link(new AuditHead(2, first.hash()), entry("eve", 2));
    assertThatThrownBy(() -> insertDirectly(fork)).hasMessageContaining("does not continue the head");
    assertThatThrownBy(() -> insertDirectly(gap)).hasMessageContaining("does not continue the head");
    assertThat(log.head()).isEqualTo(first.head());
    assertThat(log.append(entry("alice", 3)).sequence()).isEqualTo(2);
  }

  @Test
  void verifyFindsTheFirstTamperedRecord() {
    for (int i = 0; i < 5; i++) {
      log.append(entry("alice", i));
    }
    // Only someone able to switch the triggers off (the table owner) can get here; the chain still tells.
    db.jdbi().useTransaction(h -> {
      h.execute("ALTER TABLE analytics.audit_log DISABLE TRIGGER USER");
      h.execute("UPDATE analytics.audit_log SET reason = 'nothing to see' WHERE sequence = 3");
      h.execute("ALTER TABLE analytics.audit_log ENABLE TRIGGER USER");
    });
    assertThat(log.verify()).contains(3L);
  }

  @Test
  void subMicrosecondInstantsAreTruncatedBeforeHashingSoTheChainVerifies() {
    Instant withNanos = Instant.parse("2025-11-01T00:00:00.123456789Z");
    AuditRecord r = log.append(new AuditEntry(withNanos, "alice", "usage.query", "analytics:usage:read",
        "org:org-a", AuditEntry.DENY, "rbac.denied: no role"));
    assertThat(r.at()).isEqualTo(Instant.parse("2025-11-01T00:00:00.123456Z"));
    assertThat(log.range(1, 1)).containsExactly(r);
    assertThat(log.verify()).isEmpty();
  }

  @Test
  void appendsFromSeveralAppInstancesFormOneChain() throws InterruptedException {
    int instances = 4;
    int perInstance = 25;
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < instances; i++) {
      int instance = i;
      // Each "instance" has its own Jdbi over its own connections, as separate app processes would.
      PostgresAuditLog own = new PostgresAuditLog(
          Jdbi.create(TestDatabases.dataSource(db.databaseName())).installPlugin(new PostgresPlugin()));
      Thread t = new Thread(() -> {
        try {
          for (int n = 0; n < perInstance; n++) {
            own.append(entry("instance-" + instance, n));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    List<AuditRecord> all = log.range(1, 1000);
    assertThat(all).extracting(AuditRecord::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, instances * perInstance).boxed().toList());
    assertThat(log.verify()).isEmpty();
    long headRow = db.jdbi().withHandle(h ->
        h.createQuery("SELECT sequence FROM analytics.audit_head").mapTo(Long.class).one());
    assertThat(headRow).isEqualTo(instances * perInstance);
  }

  /**
   * Once an instance knows the head (its own last append's tail), an append is the one linked INSERT, committed on
   * its own, with no head lock taken from the application; what it stored reads back as returned and verifies,
   * sub-microsecond instants included.
   */
  @Test
  void aKnownHeadAppendsInOneStatement() {
    List<String> statements = Collections.synchronizedList(new ArrayList<>());
    PostgresAuditLog recorded = new PostgresAuditLog(recording(statements));
    recorded.append(entry("alice", 0));
    assertThat(statements).anyMatch(sql -> sql.contains("FOR UPDATE"));
    statements.clear();
    List<AuditEntry> group = List.of(entry("alice", 1), entry("bob", 2), new AuditEntry(
        Instant.parse("2025-11-01T00:00:03.123456789Z"), "carol", "usage.query", "analytics:usage:read",
        "org:org-b", AuditEntry.DENY, "rbac.denied: no role"));
    List<AuditRecord> records = recorded.appendAll(group);
    assertThat(statements).hasSize(1);
    assertThat(statements.get(0)).contains("unnest(").doesNotContain("FOR UPDATE");
    assertThat(records).extracting(AuditRecord::sequence).containsExactly(2L, 3L, 4L);
    assertThat(records.get(2).at()).isEqualTo(Instant.parse("2025-11-01T00:00:03.123456Z"));
    assertThat(log.range(2, 10)).isEqualTo(records);
    assertThat(log.verify()).isEmpty();
  }

  /**
   * Another writer moved the head after this instance's last append: the append linked to the stale head is refused
   * by the trigger and stores nothing, and the same entries are then linked under the head lock to the real head.
   */
  @Test
  void anAppendLinkedToAStaleHeadIsRefusedThenLinkedUnderTheHeadLock() {
    List<String> statements = Collections.synchronizedList(new ArrayList<>());
    PostgresAuditLog first = new PostgresAuditLog(recording(statements));
    first.append(entry("first", 0));
    new PostgresAuditLog(db.jdbi()).append(entry("second", 1));
    statements.clear();
    List<AuditRecord> records = first.appendAll(List.of(entry("first", 2), entry("first", 3)));
    assertThat(records).extracting(AuditRecord::sequence).containsExactly(3L, 4L);
    assertThat(statements).hasSizeGreaterThanOrEqualTo(2);
    assertThat(statements.get(0)).contains("unnest(");
    assertThat(statements.get(1)).contains("FOR UPDATE");
    assertThat(log.range(1, 10)).extracting(AuditRecord::actorSubject)
        .containsExactly("first", "second", "first", "first");
    assertThat(log.verify()).isEmpty();
    // And it knows the head again: the next append is one statement.
    statements.clear();
    assertThat(first.append(entry("first", 4)).sequence()).isEqualTo(5);
    assertThat(statements).hasSize(1);
  }

  /** A Jdbi over the test database that records every statement it executes. */
  private static Jdbi recording(List<String> statements) {
    Jdbi jdbi = Jdbi.create(TestDatabases.dataSource(db.databaseName())).installPlugin(new PostgresPlugin());
    jdbi.setSqlLogger(new SqlLogger() {
      @Override
      public void logBeforeExecution(StatementContext context) {
        statements.add(context.getRenderedSql());
      }
    });
    return jdbi;
  }

  private void insertDirectly(AuditRecord r) {
    db.jdbi().useHandle(h -> h.createUpdate(
            """
            INSERT INTO analytics.audit_log
                   (sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash)
            VALUES (:sequence, :at, :actor, :action, :permission, :scope, :decision, :reason, :prev, :hash)
            """)
        .bind("sequence", r.sequence())
        .bind("at", UtcTimestamps.bindable(r.at()))
        .bind("actor", r.actorSubject())
        .bind("action", r.action())
        .bind("permission", r.permission())
        .bind("scope", r.scope())
        .bind("decision", r.decision())
        .bind("reason", r.reason())
        .bind("prev", r.previousHash())
        .bind("hash", r.hash())
        .execute());
  }
}
