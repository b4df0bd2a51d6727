package io.tally.analytics.core.export;

import java.util.Locale;

/**
 * Life cycle of an export job: PENDING → RUNNING → SUCCEEDED | FAILED; a retryable failure returns to PENDING;
 * PENDING or RUNNING → CANCELLED on request.
 */
public enum ExportStatus {
  /** Waiting for a worker (possibly until a retry instant). */
  PENDING,
  /** Claimed by one worker, which holds a lease on it. */
  RUNNING,
  /** The CSV and its manifest are in object storage. Terminal. */
  SUCCEEDED,
  /** Retries exhausted, or a failure no retry can fix. Terminal. */
  FAILED,
  /** Cancelled by a user before it finished. Terminal. */
  CANCELLED;

  /** @return true for SUCCEEDED, FAILED and CANCELLED, which no transition leaves */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** @return the lower-case wire name ({@code succeeded}, …) */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
