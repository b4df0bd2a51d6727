package io.tally.analytics.core.export;

/**
 * Stable reason codes of failed export attempts: what a job shows in {@code errorCode} and what
 * {@code analytics_export_jobs_failed_total{reason}} counts. Retryable reasons send the job back to PENDING
 * (with backoff) until its attempts run out; the others fail it at once, because repeating cannot help.
 */
public enum ExportFailureReason {
  /** A raw export matched more rows than {@code EXPORT_RAW_MAX_ROWS}; narrow the range. */
  TOO_MANY_ROWS("export.too_many_rows", false),
  /** The database could not be read (down, timed out). */
  STORE_UNAVAILABLE("export.store_unavailable", true),
  /** The object store refused or could not take the file (down, bucket missing, credentials rejected). */
  OBJECT_STORE_UNAVAILABLE("export.object_store_unavailable", true),
  /** The worker holding the job stopped renewing its lease (crash, kill -9, network partition). */
  WORKER_LOST("export.worker_lost", true),
  /** Anything else: a defect; retried in case it was transient, reported with this code when it persists. */
  INTERNAL("export.internal_error", true);

  private final String code;
  private final boolean retryable;

  ExportFailureReason(String code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  /** @return the stable code, for example {@code export.too_many_rows} */
  public String code() {
    return code;
  }

  /** @return true when another attempt may succeed */
  public boolean retryable() {
    return retryable;
  }

  /**
   * @param code a code as stored
   * @return the reason with that code; {@link #INTERNAL} for a code this version does not know
   */
  public static ExportFailureReason fromCode(String code) {
    for (ExportFailureReason r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    return INTERNAL;
  }
}
