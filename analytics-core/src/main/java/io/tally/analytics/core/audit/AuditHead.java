package io.tally.analytics.core.audit;

import java.util.Objects;

/**
 * The last record's sequence and hash, exported out of band (a ticket, another store) so that truncating the log
 * and rewriting a consistent chain is still caught by {@link AuditChain#verifyAgainst}.
 *
 * @param sequence last sequence (0 for an empty log)
 * @param hash last hash ({@link AuditChain#GENESIS_HASH} for an empty log)
 */
public record AuditHead(long sequence, String hash) {
  /** Validates. */
  public AuditHead {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence >= 0");
    }
    Objects.requireNonNull(hash, "hash");
  }

  /** @return the head of an empty log */
  public static AuditHead genesis() {
    return new AuditHead(0, AuditChain.GENESIS_HASH);
  }
}
