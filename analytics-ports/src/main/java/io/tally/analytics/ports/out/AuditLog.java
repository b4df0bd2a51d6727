package io.tally.analytics.ports.out;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import java.util.List;
import java.util.Optional;

/**
 * Append-only, hash-chained log of authorization decisions (DESIGN §1.3).
 *
 * <p>Implementations must chain atomically: concurrent {@link #append} calls produce consecutive sequences with
 * no gap and each record's {@code previousHash} equal to its predecessor's {@code hash} (a database adapter
 * serializes on the head row; the contract suite checks this under concurrency).
 */
public interface AuditLog {
  /**
   * @param entry the decision
   * @return the stored record, linked to the previous head by {@link AuditChain#link}
   */
  default AuditRecord append(AuditEntry entry) {
    return appendAll(List.of(entry)).get(0);
  }

  /**
   * Appends several decisions as one unit: consecutive sequences in the given order, all stored or none. A use case
   * that authorizes several organisations at once (a stream batch names many) pays for one chain-head lock and one
   * commit instead of one per decision.
   *
   * @param entries the decisions, at least one
   * @return the stored records, in order
   */
  List<AuditRecord> appendAll(List<AuditEntry> entries);

  /** @return the last record's sequence and hash, {@link AuditHead#genesis()} when empty (export it out of band) */
  AuditHead head();

  /**
   * @param fromSequence first sequence wanted (1 for the start)
   * @param limit most records to return, at least 1
   * @return records in sequence order
   */
  List<AuditRecord> range(long fromSequence, int limit);

  /**
   * @return the end of the records archived out of this log (their last sequence and hash), from which the stored
   *     chain continues; {@link AuditHead#genesis()} when nothing was archived
   */
  default AuditHead checkpoint() {
    return AuditHead.genesis();
  }

  /**
   * @return the first broken sequence of the stored chain, verified from the {@link #checkpoint()}, or empty when
   *     intact; reads in pages
   */
  default Optional<Long> verify() {
    AuditHead checkpoint = checkpoint();
    AuditChain.Verifier verifier = AuditChain.verifierFrom(checkpoint);
    long next = checkpoint.sequence() + 1;
    while (true) {
      List<AuditRecord> page = range(next, 1000);
      for (AuditRecord r : page) {
        if (!verifier.accept(r)) {
          return verifier.firstBroken();
        }
      }
      if (page.size() < 1000) {
        return Optional.empty();
      }
      next = page.get(page.size() - 1).sequence() + 1;
    }
  }

  /**
   * @param exported a head exported earlier
   * @return the first broken sequence, or {@code exported.sequence()} when the log no longer reaches that head
   */
  default Optional<Long> verifyAgainst(AuditHead exported) {
    Optional<Long> broken = verify();
    if (broken.isPresent() || exported.sequence() == 0) {
      return broken;
    }
    AuditHead checkpoint = checkpoint();
    if (exported.sequence() <= checkpoint.sequence()) {
      // Archived: only the checkpoint itself is still here to compare with; older heads live in the segments.
      return exported.sequence() < checkpoint.sequence() || exported.hash().equals(checkpoint.hash())
          ? Optional.empty() : Optional.of(exported.sequence());
    }
    List<AuditRecord> at = range(exported.sequence(), 1);
    boolean reaches = !at.isEmpty() && at.get(0).sequence() == exported.sequence()
        && at.get(0).hash().equals(exported.hash());
    return reaches ? Optional.empty() : Optional.of(exported.sequence());
  }
}
