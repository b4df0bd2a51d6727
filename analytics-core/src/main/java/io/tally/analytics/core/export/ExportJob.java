package io.tally.analytics.core.export;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An asynchronous CSV export and its state machine. Immutable: each transition returns a new job and takes the
 * instant from the caller (no clock reads in core).
 *
 * <p>Transitions: {@link #start} PENDING → RUNNING; {@link #succeed} RUNNING → SUCCEEDED; {@link #fail}
 * RUNNING → PENDING with {@code attempts + 1} while {@code attempts + 1 < maxAttempts}, otherwise RUNNING →
 * FAILED with {@code attempts == maxAttempts}. Anything else throws {@code export.illegal_transition}.
 * {@code attempts} therefore counts failed attempts and never exceeds {@code maxAttempts}.
 *
 * @param jobId id
 * @param orgId owning organisation (object-level authorization key)
 * @param requestedBy subject of the actor who asked
 * @param spec kind, range and granularity
 * @param status current state
 * @param attempts failed attempts so far
 * @param maxAttempts attempts allowed before FAILED, at least 1
 * @param createdAt creation instant
 * @param updatedAt last transition instant
 * @param objectKey object-store key of the CSV, once SUCCEEDED
 * @param rowCount data rows written, once SUCCEEDED
 * @param error last failure message, if any attempt failed
 * @param expiresAt when the CSV stops being downloadable, once SUCCEEDED
 */
public record ExportJob(String jobId, String orgId, String requestedBy, ExportSpec spec, ExportStatus status,
    int attempts, int maxAttempts, Instant createdAt, Instant updatedAt, Optional<String> objectKey,
    Optional<Long> rowCount, Optional<String> error, Optional<Instant> expiresAt) {

  /** Error code of a transition the state machine does not allow. */
  public static final String ILLEGAL_TRANSITION = "export.illegal_transition";

  /** Validates the invariants every state must hold. */
  public ExportJob {
    requireText(jobId, "jobId");
    requireText(orgId, "orgId");
    requireText(requestedBy, "requestedBy");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(rowCount, "rowCount");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (maxAttempts < 1 || attempts < 0 || attempts > maxAttempts) {
      throw new IllegalArgumentException("need 0 <= attempts <= maxAttempts, maxAttempts >= 1");
    }
    if (updatedAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("updatedAt before createdAt");
    }
    if (status == ExportStatus.SUCCEEDED && (objectKey.isEmpty() || rowCount.isEmpty() || expiresAt.isEmpty())) {
      throw new IllegalArgumentException("a succeeded job has objectKey, rowCount and expiresAt");
    }
  }

  /**
   * @param jobId new id
   * @param orgId owning organisation
   * @param requestedBy actor subject
   * @param spec what to export
   * @param maxAttempts attempts before giving up, at least 1
   * @param now creation instant
   * @return a PENDING job with no attempts
   */
  public static ExportJob pending(String jobId, String orgId, String requestedBy, ExportSpec spec, int maxAttempts,
      Instant now) {
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.PENDING, 0, maxAttempts, now, now,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** @return RUNNING; only from PENDING */
  public ExportJob start(Instant now) {
    require(ExportStatus.PENDING, "start");
    return with(ExportStatus.RUNNING, attempts, now, error);
  }

  /**
   * @param now completion instant
   * @param key object-store key of the CSV
   * @param rows data rows written
   * @param downloadableUntil when the CSV expires (after {@code now})
   * @return SUCCEEDED; only from RUNNING
   */
  public ExportJob succeed(Instant now, String key, long rows, Instant downloadableUntil) {
    require(ExportStatus.RUNNING, "succeed");
    requireText(key, "objectKey");
    if (rows < 0 || !downloadableUntil.isAfter(now)) {
      throw new IllegalArgumentException("rows >= 0 and expiry after completion required");
    }
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.SUCCEEDED, attempts, maxAttempts, createdAt,
        later(now), Optional.of(key), Optional.of(rows), error, Optional.of(downloadableUntil));
  }

  /**
   * @param now failure instant
   * @param message what went wrong (kept as {@link #error()})
   * @return PENDING with one more attempt while under the limit, else FAILED; only from RUNNING
   */
  public ExportJob fail(Instant now, String message) {
    require(ExportStatus.RUNNING, "fail");
    int failed = attempts + 1;
    ExportStatus next = failed < maxAttempts ? ExportStatus.PENDING : ExportStatus.FAILED;
    return with(next, failed, now, Optional.of(Objects.requireNonNull(message, "message")));
  }

  /** @return true when SUCCEEDED and {@code now} is at or after {@link #expiresAt()} */
  public boolean isExpired(Instant now) {
    return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
  }

  /** @return true when a download may be offered at {@code now} */
  public boolean isDownloadable(Instant now) {
    return status == ExportStatus.SUCCEEDED && !isExpired(now);
  }

  private ExportJob with(ExportStatus next, int nextAttempts, Instant now, Optional<String> nextError) {
    return new ExportJob(jobId, orgId, requestedBy, spec, next, nextAttempts, maxAttempts, createdAt, later(now),
        objectKey, rowCount, nextError, expiresAt);
  }

  // A worker whose clock lags the creator's must not produce updatedAt < createdAt.
  private Instant later(Instant now) {
    return now.isBefore(updatedAt) ? updatedAt : now;
  }

  private void require(ExportStatus expected, String transition) {
    if (status != expected) {
      throw new TallyException(ILLEGAL_TRANSITION,
          "Cannot " + transition + " export " + jobId + " in status " + status.wireName() + ".");
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
