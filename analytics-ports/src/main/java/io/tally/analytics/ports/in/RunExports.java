package io.tally.analytics.ports.in;

import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportJob;
import java.util.Objects;
import java.util.Optional;

/**
 * The export worker's step: claim one job under a lease, stream its CSV into the object store while renewing the
 * lease, write the manifest next to it, and record the outcome. Background workers call it in a loop (each with
 * its own {@code workerId}); tests call it directly. Runs on the caller's thread.
 */
public interface RunExports {
  /** What became of a run. */
  enum Outcome {
    /** The file and its manifest are stored and the job is SUCCEEDED. */
    SUCCEEDED,
    /** The attempt failed and the job waits for a retry. */
    RETRY_SCHEDULED,
    /** The job is FAILED (a permanent reason, or no attempt left). */
    FAILED,
    /** The job was cancelled or taken over while this run wrote it; what it wrote was removed. */
    ABANDONED
  }

  /**
   * @param job the job as this run left it (for ABANDONED: as the run last held it)
   * @param outcome what happened
   * @param reason why, for RETRY_SCHEDULED and FAILED
   */
  record ExportRun(ExportJob job, Outcome outcome, Optional<ExportFailureReason> reason) {
    /** Rejects nulls. */
    public ExportRun {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * @param workerId unique id of the calling worker (process and thread), recorded as the lease owner
   * @return the run, or empty when no job was claimable
   */
  Optional<ExportRun> runNext(String workerId);
}
