package io.tally.analytics.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A chained audit record: an {@link AuditEntry} plus its position and the hashes that make tampering visible.
 * Built by {@link AuditChain#link}; {@code hash} = SHA-256 over {@code previousHash} and the canonical fields.
 *
 * @param sequence position, starting at 1, without gaps
 * @param at when the decision was made
 * @param actorSubject who asked
 * @param action short label
 * @param permission wire name
 * @param scope target
 * @param decision {@code allow} or {@code deny}
 * @param reason the policy's reason
 * @param previousHash hash of record {@code sequence - 1}, or {@link AuditChain#GENESIS_HASH} for the first
 * @param hash this record's hash (64 lower-case hex digits)
 */
public record AuditRecord(long sequence, Instant at, String actorSubject, String action, String permission,
    String scope, String decision, String reason, String previousHash, String hash) {

  /** Rejects nulls and non-positive sequences (the hash itself is checked by {@link AuditChain#verify}). */
  public AuditRecord {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actorSubject, "actorSubject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** @return the entry this record chains */
  public AuditEntry entry() {
    return new AuditEntry(at, actorSubject, action, permission, scope, decision, reason);
  }

  /** @return the head this record forms when it is the last one */
  public AuditHead head() {
    return new AuditHead(sequence, hash);
  }
}
