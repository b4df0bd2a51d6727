package io.tally.analytics.core.audit;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The hash chain of the audit log (DESIGN §1.3): each record's hash covers the previous record's hash and its own
 * canonical fields, so an edit, a deletion or a reordering breaks every link after it.
 *
 * <p>Canonical form: SHA-256 over {@code previousHash}, the sequence, the instant as epoch seconds and nanos, then
 * each text field as UTF-8 preceded by its byte length, so no choice of field contents can make two different
 * records hash alike by shifting a separator.
 */
public final class AuditChain {
  /** previousHash of the first record: 64 zeros. */
  public static final String GENESIS_HASH = "0".repeat(64);

  private AuditChain() {}

  /**
   * @param previous the current head ({@link AuditHead#genesis()} for an empty log)
   * @param entry the decision to chain
   * @return the record at {@code previous.sequence() + 1}
   */
  public static AuditRecord link(AuditHead previous, AuditEntry entry) {
    long sequence = previous.sequence() + 1;
    String hash = hashOf(sequence, entry, previous.hash());
    return new AuditRecord(sequence, entry.at(), entry.actorSubject(), entry.action(), entry.permission(),
        entry.scope(), entry.decision(), entry.reason(), previous.hash(), hash);
  }

  /** @return the hash a record with these contents must carry */
  public static String hashOf(long sequence, AuditEntry e, String previousHash) {
    return hash(previousHash, sequence, e.at(), List.of(e.actorSubject(), e.action(), e.permission(), e.scope(),
        e.decision(), e.reason()));
  }

  // Recomputed from the record's own fields, not via AuditEntry, so a tampered decision value is a broken
  // link rather than a validation exception.
  private static String hashOf(AuditRecord r) {
    return hash(r.previousHash(), r.sequence(), r.at(), List.of(r.actorSubject(), r.action(), r.permission(),
        r.scope(), r.decision(), r.reason()));
  }

  private static String hash(String previousHash, long sequence, java.time.Instant at, List<String> fields) {
    Hasher h = Hashing.sha256().newHasher();
    putText(h, previousHash);
    h.putLong(sequence).putLong(at.getEpochSecond()).putInt(at.getNano());
    fields.forEach(f -> putText(h, f));
    return h.hash().toString();
  }

  /**
   * @param records the whole log, in stored order
   * @return the sequence of the first record that does not continue the chain (wrong sequence, wrong previous
   *     hash or wrong own hash), or empty when the chain is intact
   */
  public static Optional<Long> verify(List<AuditRecord> records) {
    Verifier v = verifier();
    for (AuditRecord r : records) {
      if (!v.accept(r)) {
        return v.firstBroken();
      }
    }
    return Optional.empty();
  }

  /**
   * Verifies the chain and that it still reaches an exported head.
   *
   * @param records the whole log
   * @param exported a head exported earlier
   * @return the first broken sequence; {@code exported.sequence()} when the chain is intact but no longer
   *     contains the exported head (truncated, or truncated and rewritten)
   */
  public static Optional<Long> verifyAgainst(List<AuditRecord> records, AuditHead exported) {
    Optional<Long> broken = verify(records);
    if (broken.isPresent() || exported.sequence() == 0) {
      return broken;
    }
    boolean reaches = records.size() >= exported.sequence()
        && records.get((int) (exported.sequence() - 1)).hash().equals(exported.hash());
    return reaches ? Optional.empty() : Optional.of(exported.sequence());
  }

  /** @return an incremental verifier, for logs too large to hold in memory */
  public static Verifier verifier() {
    return new Verifier(AuditHead.genesis());
  }

  /**
   * @param checkpoint the last record before the ones to verify (an archived segment's end), whose hash the next
   *     record must carry as its previous hash
   * @return an incremental verifier that starts after {@code checkpoint}
   */
  public static Verifier verifierFrom(AuditHead checkpoint) {
    return new Verifier(java.util.Objects.requireNonNull(checkpoint, "checkpoint"));
  }

  private static void putText(Hasher h, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    h.putInt(bytes.length).putBytes(bytes);
  }

  /** Checks records one at a time in sequence order; stops accepting after the first break. */
  public static final class Verifier {
    private AuditHead head;
    private Long broken;

    private Verifier(AuditHead start) {
      this.head = start;
    }

    /**
     * @param r the next record in stored order
     * @return true when it continues the chain
     */
    public boolean accept(AuditRecord r) {
      if (broken != null) {
        return false;
      }
      boolean ok = r.sequence() == head.sequence() + 1
          && r.previousHash().equals(head.hash())
          && r.hash().equals(hashOf(r));
      if (ok) {
        head = r.head();
      } else {
        broken = r.sequence();
      }
      return ok;
    }

    /** @return the last record accepted (genesis when none) */
    public AuditHead head() {
      return head;
    }

    /** @return the sequence of the first record rejected, if any */
    public Optional<Long> firstBroken() {
      return Optional.ofNullable(broken);
    }
  }
}
