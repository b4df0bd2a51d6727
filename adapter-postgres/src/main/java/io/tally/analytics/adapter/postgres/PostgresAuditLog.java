package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.out.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The audit log in {@code analytics.audit_log}: append-only (triggers reject UPDATE, DELETE and TRUNCATE) and
 * hash-chained with {@link AuditChain}.
 *
 * <p>An append locks the one-row {@code audit_head} table ({@code SELECT ... FOR UPDATE}), links the entries to
 * that head one after the other and inserts them in the same transaction (one batch), so appends from any number of connections or app instances
 * queue on the row lock and get consecutive sequences. A database trigger re-checks that each insert continues
 * the head, so even a writer bypassing this class cannot leave a gap or a fork.
 *
 * <p>The entry's instant is truncated to microseconds before it is hashed, because {@code timestamptz} keeps no
 * more; the returned record is exactly what {@link #range} reads back and what {@link #verify} re-hashes.
 * {@link #verify} is the port's default: it re-hashes the chain in pages of 1000 sequences.
 */
public final class PostgresAuditLog implements AuditLog {

  private static final String LOCK_HEAD =
      "SELECT sequence, hash FROM analytics.audit_head WHERE singleton FOR UPDATE";

  private static final String INSERT =
      """
      INSERT INTO analytics.audit_log
             (sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash)
      VALUES (:sequence, :at, :actor, :action, :permission, :scope, :decision, :reason, :previousHash, :hash)
      """;

  private static final String COLUMNS =
      "sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash";

  private static final String LAST = "SELECT sequence, hash FROM analytics.audit_log ORDER BY sequence DESC LIMIT 1";

  private static final String RANGE =
      "SELECT " + COLUMNS + " FROM analytics.audit_log WHERE sequence >= :from ORDER BY sequence LIMIT :limit";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresAuditLog(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<AuditRecord> appendAll(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one entry");
    }
    List<AuditEntry> storable = entries.stream().map(e -> new AuditEntry(UtcTimestamps.storable(e.at()),
        e.actorSubject(), e.action(), e.permission(), e.scope(), e.decision(), e.reason())).toList();
    return translate("audit append", () -> jdbi.inTransaction(h -> {
      AuditHead head = h.createQuery(LOCK_HEAD).map(PostgresAuditLog::headRow).one();
      List<AuditRecord> linked = new ArrayList<>(storable.size());
      PreparedBatch insert = h.prepareBatch(INSERT);
      for (AuditEntry entry : storable) {
        AuditRecord r = AuditChain.link(head, entry);
        linked.add(r);
        head = r.head();
        insert.bind("sequence", r.sequence())
            .bind("at", UtcTimestamps.bindable(r.at()))
            .bind("actor", r.actorSubject())
            .bind("action", r.action())
            .bind("permission", r.permission())
            .bind("scope", r.scope())
            .bind("decision", r.decision())
            .bind("reason", r.reason())
            .bind("previousHash", r.previousHash())
            .bind("hash", r.hash())
            .add();
      }
      insert.execute();
      return List.copyOf(linked);
    }));
  }

  @Override
  public AuditHead head() {
    // The last stored record, not audit_head: verification trusts only the log itself.
    return translate("audit head", () -> jdbi.withHandle(h ->
        h.createQuery(LAST).map(PostgresAuditLog::headRow).findOne().orElse(AuditHead.genesis())));
  }

  @Override
  public List<AuditRecord> range(long fromSequence, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return translate("audit range", () -> jdbi.withHandle(h -> h.createQuery(RANGE)
        .bind("from", fromSequence)
        .bind("limit", limit)
        .map(PostgresAuditLog::record)
        .list()));
  }

  private static AuditHead headRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuditHead(rs.getLong("sequence"), rs.getString("hash"));
  }

  private static AuditRecord record(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuditRecord(rs.getLong("sequence"), UtcTimestamps.read(rs, "at"), rs.getString("actor"),
        rs.getString("action"), rs.getString("permission"), rs.getString("scope"), rs.getString("decision"),
        rs.getString("reason"), rs.getString("prev_hash"), rs.getString("hash"));
  }
}
