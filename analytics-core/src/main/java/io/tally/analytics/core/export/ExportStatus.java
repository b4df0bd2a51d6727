package io.tally.analytics.core.export;

import java.util.Locale;

/** Life cycle of an export job: PENDING → RUNNING → SUCCEEDED | FAILED; a retryable failure returns to PENDING. */
public enum ExportStatus {
  /** Waiting for a worker. */
  PENDING,
  /** Claimed by one worker. */
  RUNNING,
  /** The CSV is in object storage. Terminal. */
  SUCCEEDED,
  /** Retries exhausted. Terminal. */
  FAILED;

  /** @return true for SUCCEEDED and FAILED, which no transition leaves */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED;
  }

  /** @return the lower-case wire name ({@code succeeded}, …) */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
