package io.tally.analytics.core.export;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An asynchronous CSV export and its state machine. Immutable: each transition returns a new job and takes the
 * instant from the caller (no clock reads in core).
 *
 * <p>Transitions:
 * <ul>
 *   <li>{@link #claim}: PENDING (and past its {@code retryAt}) → RUNNING under a new lease, one more attempt; a
 *       RUNNING job whose lease has lapsed (its worker died) is taken over the same way, or FAILED with
 *       {@code export.worker_lost} when it has no attempt left.
 *   <li>{@link #renew}: RUNNING → RUNNING with a later lease and the rows written so far (heartbeat).
 *   <li>{@link #succeed}: RUNNING → SUCCEEDED with the manifest.
 *   <li>{@link #fail}: RUNNING → PENDING with a {@code retryAt} when the reason is retryable and attempts remain,
 *       otherwise FAILED.
 *   <li>{@link #cancel}: PENDING or RUNNING → CANCELLED; anything else throws {@code export.not_cancellable}.
 * </ul>
 * Only the lease's owner may renew, succeed or fail a RUNNING job ({@code export.lease_lost} otherwise), so a
 * worker that lost its job to a takeover or a cancel can never overwrite the outcome. Other illegal transitions
 * throw {@code export.illegal_transition}. {@code attempts} counts started attempts and never exceeds
 * {@code maxAttempts}.
 *
 * @param jobId id
 * @param orgId owning organisation (object-level authorization key)
 * @param requestedBy subject of the actor who asked
 * @param spec kind, range, granularity, compression
 * @param status current state
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed, at least 1
 * @param createdAt creation instant
 * @param updatedAt last transition instant
 * @param rowsWritten progress of the current attempt (RUNNING), or the file's rows (SUCCEEDED)
 * @param lease the running worker's claim; present exactly when RUNNING
 * @param retryAt earliest instant of the next attempt after a retryable failure; only when PENDING
 * @param failure the last failed attempt's reason, if any
 * @param result the file and its manifest; present exactly when SUCCEEDED
 */
public record ExportJob(String jobId, String orgId, String requestedBy, ExportSpec spec, ExportStatus status,
    int attempts, int maxAttempts, Instant createdAt, Instant updatedAt, long rowsWritten,
    Optional<ExportLease> lease, Optional<Instant> retryAt, Optional<ExportFailure> failure,
    Optional<ExportResult> result) {

  /** Error code of a transition the state machine does not allow. */
  public static final String ILLEGAL_TRANSITION = "export.illegal_transition";
  /** Error code of cancelling a job that has already finished. */
  public static final String NOT_CANCELLABLE = "export.not_cancellable";
  /** Error code of a worker acting on a job it no longer holds (taken over or cancelled). */
  public static final String LEASE_LOST = "export.lease_lost";

  /** Validates the invariants every state must hold. */
  public ExportJob {
    requireText(jobId, "jobId");
    requireText(orgId, "orgId");
    requireText(requestedBy, "requestedBy");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(retryAt, "retryAt");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(result, "result");
    if (maxAttempts < 1 || attempts < 0 || attempts > maxAttempts) {
      throw new IllegalArgumentException("need 0 <= attempts <= maxAttempts, maxAttempts >= 1");
    }
    if (rowsWritten < 0) {
      throw new IllegalArgumentException("rowsWritten must be >= 0");
    }
    if (updatedAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("updatedAt before createdAt");
    }
    if (lease.isPresent() != (status == ExportStatus.RUNNING)) {
      throw new IllegalArgumentException("a job holds a lease exactly when it is running");
    }
    if (result.isPresent() != (status == ExportStatus.SUCCEEDED)) {
      throw new IllegalArgumentException("a job has a result exactly when it succeeded");
    }
    if (retryAt.isPresent() && status != ExportStatus.PENDING) {
      throw new IllegalArgumentException("only a pending job waits for a retry");
    }
    if (status == ExportStatus.PENDING && attempts >= maxAttempts) {
      throw new IllegalArgumentException("a pending job has an attempt left");
    }
    if (status == ExportStatus.FAILED && failure.isEmpty()) {
      throw new IllegalArgumentException("a failed job says why");
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
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.PENDING, 0, maxAttempts, now, now, 0,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** @return true when a worker may {@link #claim} the job at {@code now} */
  public boolean isClaimable(Instant now) {
    return switch (status) {
      case PENDING -> retryAt.map(r -> !now.isBefore(r)).orElse(true);
      case RUNNING -> lease.orElseThrow().isExpired(now);
      default -> false;
    };
  }

  /**
   * @param now the claim instant
   * @param owner the claiming worker
   * @param leaseUntil when the new lease lapses unless renewed (after {@code now})
   * @return RUNNING under the new lease with one more attempt; or FAILED ({@code export.worker_lost}) when a
   *     lapsed job has no attempt left
   */
  public ExportJob claim(Instant now, String owner, Instant leaseUntil) {
    if (!isClaimable(now)) {
      throw illegal("claim");
    }
    if (!leaseUntil.isAfter(now)) {
      throw new IllegalArgumentException("lease must end after the claim");
    }
    Optional<ExportFailure> lastFailure = failure;
    if (status == ExportStatus.RUNNING) {
      lastFailure = Optional.of(new ExportFailure(ExportFailureReason.WORKER_LOST, "Attempt " + attempts
          + " stopped renewing its lease (worker " + lease.orElseThrow().owner() + " presumed dead)."));
      if (attempts >= maxAttempts) {
        return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.FAILED, attempts, maxAttempts, createdAt,
            later(now), rowsWritten, Optional.empty(), Optional.empty(), lastFailure, Optional.empty());
      }
    }
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.RUNNING, attempts + 1, maxAttempts,
        createdAt, later(now), 0, Optional.of(new ExportLease(owner, leaseUntil)), Optional.empty(), lastFailure,
        Optional.empty());
  }

  /**
   * Heartbeat: the owner is alive and has written {@code rows} rows.
   *
   * @return RUNNING with the lease extended to {@code leaseUntil}
   */
  public ExportJob renew(Instant now, String owner, long rows, Instant leaseUntil) {
    requireOwner(owner, "renew");
    return new ExportJob(jobId, orgId, requestedBy, spec, status, attempts, maxAttempts, createdAt, later(now),
        rows, Optional.of(new ExportLease(owner, leaseUntil)), retryAt, failure, result);
  }

  /**
   * @param now completion instant
   * @param owner the lease's owner
   * @param manifest the finished file
   * @param downloadableUntil when the file expires (after {@code now})
   * @return SUCCEEDED
   */
  public ExportJob succeed(Instant now, String owner, ExportManifest manifest, Instant downloadableUntil) {
    requireOwner(owner, "succeed");
    if (!downloadableUntil.isAfter(now)) {
      throw new IllegalArgumentException("expiry after completion required");
    }
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.SUCCEEDED, attempts, maxAttempts, createdAt,
        later(now), manifest.rows(), Optional.empty(), Optional.empty(), failure,
        Optional.of(new ExportResult(manifest, downloadableUntil)));
  }

  /**
   * @param now failure instant
   * @param owner the lease's owner
   * @param why reason and message
   * @param retry backoff before the next attempt
   * @return PENDING until {@code now + backoff} when the reason is retryable and attempts remain, else FAILED
   */
  public ExportJob fail(Instant now, String owner, ExportFailure why, ExportRetryPolicy retry) {
    requireOwner(owner, "fail");
    boolean again = why.reason().retryable() && attempts < maxAttempts;
    return new ExportJob(jobId, orgId, requestedBy, spec, again ? ExportStatus.PENDING : ExportStatus.FAILED,
        attempts, maxAttempts, createdAt, later(now), rowsWritten, Optional.empty(),
        again ? Optional.of(now.plus(retry.delayAfter(attempts))) : Optional.empty(), Optional.of(why),
        Optional.empty());
  }

  /** @return CANCELLED; only from PENDING or RUNNING ({@code export.not_cancellable} otherwise) */
  public ExportJob cancel(Instant now) {
    if (status.isTerminal()) {
      throw new TallyException(TallyException.Kind.CONFLICT, NOT_CANCELLABLE,
          "Export " + jobId + " is " + status.wireName() + "; only pending or running exports can be cancelled.");
    }
    return new ExportJob(jobId, orgId, requestedBy, spec, ExportStatus.CANCELLED, attempts, maxAttempts, createdAt,
        later(now), rowsWritten, Optional.empty(), Optional.empty(), failure, Optional.empty());
  }

  /** @return the stored file's key, once SUCCEEDED */
  public Optional<String> objectKey() {
    return result.map(r -> r.manifest().objectKey());
  }

  /** @return the file's data rows, once SUCCEEDED */
  public Optional<Long> rowCount() {
    return result.map(r -> r.manifest().rows());
  }

  /** @return when the file stops being downloadable, once SUCCEEDED */
  public Optional<Instant> expiresAt() {
    return result.map(ExportResult::expiresAt);
  }

  /** @return true when SUCCEEDED and {@code now} is at or after {@link #expiresAt()} */
  public boolean isExpired(Instant now) {
    return expiresAt().map(e -> !now.isBefore(e)).orElse(false);
  }

  /** @return true when a download may be offered at {@code now} */
  public boolean isDownloadable(Instant now) {
    return status == ExportStatus.SUCCEEDED && !isExpired(now);
  }

  // A worker whose clock lags the creator's must not produce updatedAt < createdAt.
  private Instant later(Instant now) {
    return now.isBefore(updatedAt) ? updatedAt : now;
  }

  private void requireOwner(String owner, String transition) {
    if (status != ExportStatus.RUNNING) {
      throw new TallyException(TallyException.Kind.FAULT, LEASE_LOST,
          "Cannot " + transition + " export " + jobId + ": it is " + status.wireName() + ", no longer running.");
    }
    if (!lease.orElseThrow().owner().equals(owner)) {
      throw new TallyException(TallyException.Kind.FAULT, LEASE_LOST,
          "Cannot " + transition + " export " + jobId + ": another worker holds it now.");
    }
  }

  private TallyException illegal(String transition) {
    return new TallyException(TallyException.Kind.FAULT, ILLEGAL_TRANSITION,
        "Cannot " + transition + " export " + jobId + " in status " + status.wireName() + ".");
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
