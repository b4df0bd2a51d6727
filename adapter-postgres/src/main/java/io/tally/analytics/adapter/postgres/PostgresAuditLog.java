package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.out.AuditLog;
import java.io.IOException;
import java.sql.ResultSet;
import java.time.Instant;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The audit log in {@code analytics.audit_log}: append-only (triggers reject UPDATE, DELETE and TRUNCATE, except
 * the DELETE of records already archived behind a checkpoint, V12) and hash-chained with {@link AuditChain}.
 * {@link #archiveBefore} moves the oldest records into a segment that ends at a checkpoint whose hash is kept;
 * {@link #verify} then checks the stored chain from that checkpoint.
 *
 * <p>An append links the entries to the chain's head one after the other and inserts them in one transaction. A
 * database trigger locks the one-row {@code audit_head} table for each insert and refuses any that does not continue
 * it, so appends from any number of connections or app instances queue on that row lock and get consecutive
 * sequences, and even a writer bypassing this class cannot leave a gap or a fork. When this instance knows the head
 * (the tail of its own last append), the append is one statement, one round trip and one commit: the entries are
 * linked to that head before they are sent, and the trigger refuses them if another writer moved the head meanwhile.
 * Then, and when the head is not known, the append locks the head ({@code SELECT ... FOR UPDATE}), links the entries
 * to what it read and inserts them in that transaction (one batch). Either way the append returns only once its
 * transaction has committed.
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

  /**
   * The entries of one append as one statement (one implicit transaction): arrays in chain order, inserted in
   * sequence order so the trigger sees each continue the one before. {@code at} travels as ISO-8601 text in UTC
   * (already truncated to microseconds), which {@code timestamptz} parses exactly whatever the session time zone.
   */
  private static final String INSERT_LINKED =
      """
      INSERT INTO analytics.audit_log
             (sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash)
      SELECT r.sequence, r.at, r.actor, r.action, r.permission,
             r.scope, r.decision, r.reason, r.prev_hash, r.hash
        FROM unnest(CAST(:sequences AS bigint[]), CAST(:ats AS timestamptz[]), CAST(:actors AS text[]),
                    CAST(:actions AS text[]), CAST(:permissions AS text[]), CAST(:scopes AS text[]),
                    CAST(:decisions AS text[]), CAST(:reasons AS text[]), CAST(:previousHashes AS text[]),
                    CAST(:hashes AS text[]))
             AS r(sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash)
       ORDER BY r.sequence
      """;

  /** SQLSTATE of the link trigger's refusal ({@code integrity_constraint_violation}). */
  private static final String NOT_CONTINUING_THE_HEAD = "23000";

  private static final String COLUMNS =
      "sequence, at, actor, action, permission, scope, decision, reason, prev_hash, hash";

  private static final String LAST = "SELECT sequence, hash FROM analytics.audit_log ORDER BY sequence DESC LIMIT 1";

  private static final String RANGE =
      "SELECT " + COLUMNS + " FROM analytics.audit_log WHERE sequence >= :from ORDER BY sequence LIMIT :limit";

  private static final String CHECKPOINT =
      "SELECT sequence, hash FROM analytics.audit_checkpoints ORDER BY sequence DESC LIMIT 1";

  private static final String INSERT_CHECKPOINT = "INSERT INTO analytics.audit_checkpoints "
      + "(sequence, hash, first_sequence, segment, segment_sha256, archived_at) "
      + "VALUES (:sequence, :hash, :first, :segment, :sha, :at)";

  /** Only one archiver at a time, whichever instance runs it. */
  private static final long ARCHIVE_LOCK_KEY = 0x7461_6c6c_7961_7263L; // "tallyarc"

  /** Where archived records go before they leave the database; durable when it returns. */
  @FunctionalInterface
  public interface SegmentWriter {
    /**
     * @param records a contiguous run of the chain, continuing the previous checkpoint
     * @return the segment's name and the SHA-256 (hex) of what was stored
     * @throws IOException when the segment could not be stored (nothing is archived then)
     */
    Segment write(List<AuditRecord> records) throws IOException;
  }

  /**
   * @param name where the segment is (a file name)
   * @param sha256 hex digest of its bytes
   */
  public record Segment(String name, String sha256) {}

  /**
   * One archived segment as recorded with its checkpoint.
   *
   * @param firstSequence first archived record
   * @param end the checkpoint: the segment's last sequence and hash
   * @param segment where it went
   */
  public record Checkpoint(long firstSequence, AuditHead end, Segment segment) {}

  private final Jdbi jdbi;
  /** Guards {@link #knownHead}: appends link in the order they take it. */
  private final Object linking = new Object();
  /**
   * Where this instance's next append links to: the tail of the last append it linked, null when unknown. Only a
   * guess (the trigger checks it), advanced when an append is linked, before it is sent, so that concurrent appends
   * (group commits in flight together) link one after the other; a wrong one costs one refused statement before
   * the locking append.
   */
  private AuditHead knownHead;

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
    List<AuditRecord> linked = null;
    synchronized (linking) {
      if (knownHead != null) {
        linked = link(knownHead, storable);
        knownHead = tail(linked);
      }
    }
    if (linked != null) {
      if (insertLinked(linked)) {
        return linked;
      }
      synchronized (linking) {
        // Nobody linked after this append: forget the guess. Otherwise the later appends are refused in turn.
        if (tail(linked).equals(knownHead)) {
          knownHead = null;
        }
      }
    }
    return appendUnderHeadLock(storable);
  }

  /**
   * One statement, committed on its own.
   *
   * @return false when the trigger refused the records because the head was not where they link (nothing stored)
   */
  private boolean insertLinked(List<AuditRecord> linked) {
    int n = linked.size();
    Long[] sequences = new Long[n];
    String[] ats = new String[n];
    String[][] text = new String[8][n];
    for (int i = 0; i < n; i++) {
      AuditRecord r = linked.get(i);
      sequences[i] = r.sequence();
      ats[i] = r.at().toString();
      text[0][i] = r.actorSubject();
      text[1][i] = r.action();
      text[2][i] = r.permission();
      text[3][i] = r.scope();
      text[4][i] = r.decision();
      text[5][i] = r.reason();
      text[6][i] = r.previousHash();
      text[7][i] = r.hash();
    }
    try {
      translate("audit append", () -> jdbi.withHandle(h -> h.createUpdate(INSERT_LINKED)
          .bindArray("sequences", Long.class, (Object[]) sequences)
          .bindArray("ats", String.class, (Object[]) ats)
          .bindArray("actors", String.class, (Object[]) text[0])
          .bindArray("actions", String.class, (Object[]) text[1])
          .bindArray("permissions", String.class, (Object[]) text[2])
          .bindArray("scopes", String.class, (Object[]) text[3])
          .bindArray("decisions", String.class, (Object[]) text[4])
          .bindArray("reasons", String.class, (Object[]) text[5])
          .bindArray("previousHashes", String.class, (Object[]) text[6])
          .bindArray("hashes", String.class, (Object[]) text[7])
          .execute()));
      return true;
    } catch (PostgresAdapterException e) {
      if (refusedByLinkTrigger(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Locks the head row, links to what it holds, inserts in the same transaction. */
  private List<AuditRecord> appendUnderHeadLock(List<AuditEntry> storable) {
    List<AuditRecord> appended = translate("audit append", () -> jdbi.inTransaction(h -> {
      List<AuditRecord> linked = link(h.createQuery(LOCK_HEAD).map(PostgresAuditLog::headRow).one(), storable);
      PreparedBatch insert = h.prepareBatch(INSERT);
      for (AuditRecord r : linked) {
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
      return linked;
    }));
    synchronized (linking) {
      knownHead = tail(appended);
    }
    return appended;
  }

  private static List<AuditRecord> link(AuditHead head, List<AuditEntry> storable) {
    List<AuditRecord> linked = new ArrayList<>(storable.size());
    for (AuditEntry entry : storable) {
      AuditRecord r = AuditChain.link(head, entry);
      linked.add(r);
      head = r.head();
    }
    return List.copyOf(linked);
  }

  private static AuditHead tail(List<AuditRecord> linked) {
    return linked.get(linked.size() - 1).head();
  }

  private static boolean refusedByLinkTrigger(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && NOT_CONTINUING_THE_HEAD.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
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

  @Override
  public AuditHead checkpoint() {
    return translate("audit checkpoint", () -> jdbi.withHandle(h ->
        h.createQuery(CHECKPOINT).map(PostgresAuditLog::headRow).findOne().orElse(AuditHead.genesis())));
  }

  /** @return every checkpoint, oldest first (each one archived segment) */
  public List<Checkpoint> checkpoints() {
    return translate("audit checkpoints", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT sequence, hash, first_sequence, segment, segment_sha256 FROM analytics.audit_checkpoints "
                + "ORDER BY sequence")
        .map((rs, ctx) -> new Checkpoint(rs.getLong("first_sequence"), headRow(rs, ctx),
            new Segment(rs.getString("segment"), rs.getString("segment_sha256")))).list()));
  }

  /**
   * Archives the oldest records, those before {@code before} (a prefix of the chain, at most {@code maxRecords}):
   * verifies they continue the last checkpoint, has {@code writer} store them durably, then records the new
   * checkpoint and deletes them, in one transaction. Nothing is deleted unless the segment was written and the
   * checkpoint committed with the deletion.
   *
   * @return the new checkpoint, empty when no record is old enough
   * @throws PostgresAdapterException when the records do not continue the chain or the segment could not be
   *     written (nothing is archived)
   */
  public Optional<Checkpoint> archiveBefore(Instant before, int maxRecords, Instant now, SegmentWriter writer) {
    return translate("audit archive", () -> jdbi.inTransaction(h -> {
      h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)").bind("key", ARCHIVE_LOCK_KEY)
          .mapTo(Integer.class).one();
      AuditHead from = h.createQuery(CHECKPOINT).map(PostgresAuditLog::headRow).findOne()
          .orElse(AuditHead.genesis());
      List<AuditRecord> old = new ArrayList<>();
      for (AuditRecord r : h.createQuery(RANGE).bind("from", from.sequence() + 1).bind("limit", maxRecords)
          .map(PostgresAuditLog::record).list()) {
        if (!r.at().isBefore(before)) {
          break;
        }
        old.add(r);
      }
      if (old.isEmpty()) {
        return Optional.<Checkpoint>empty();
      }
      AuditChain.Verifier verifier = AuditChain.verifierFrom(from);
      for (AuditRecord r : old) {
        if (!verifier.accept(r)) {
          throw new PostgresAdapterException("audit chain broken at record " + r.sequence() + "; nothing archived",
              null);
        }
      }
      Segment segment;
      try {
        segment = writer.write(List.copyOf(old));
      } catch (IOException e) {
        throw new PostgresAdapterException("audit segment could not be written; nothing archived", e);
      }
      AuditHead end = old.get(old.size() - 1).head();
      h.createUpdate(INSERT_CHECKPOINT).bind("sequence", end.sequence()).bind("hash", end.hash())
          .bind("first", old.get(0).sequence()).bind("segment", segment.name()).bind("sha", segment.sha256())
          .bind("at", UtcTimestamps.bindable(now)).execute();
      h.createUpdate("DELETE FROM analytics.audit_log WHERE sequence <= :end").bind("end", end.sequence()).execute();
      return Optional.of(new Checkpoint(old.get(0).sequence(), end, segment));
    }));
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
