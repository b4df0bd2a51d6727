package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.ports.out.ExportJobStore;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * Renews a running job's lease from the writing thread (the use case creates no threads): every few rows it
 * looks at the clock, and once a heartbeat is due it stores the progress and a later lease expiry. When the store
 * says the job is no longer held (cancelled, or taken over after a stall), it throws {@code export.lease_lost},
 * which abandons the upload.
 */
final class LeaseKeeper {
  private static final int ROWS_BETWEEN_CLOCK_READS = 1_024;

  private final ExportJobStore jobs;
  private final TimeSource time;
  private final String owner;
  private final Duration lease;
  private final Duration every;
  private ExportJob job;
  private Instant lastBeat;
  private long rows;

  LeaseKeeper(ExportJobStore jobs, TimeSource time, ExportJob claimed, Duration lease, Duration every) {
    this.jobs = jobs;
    this.time = time;
    this.job = claimed;
    this.owner = claimed.lease().orElseThrow().owner();
    this.lease = lease;
    this.every = every;
    this.lastBeat = time.now();
  }

  /** Counts one row and renews the lease when a heartbeat is due. */
  void rowWritten() {
    rows++;
    if (rows % ROWS_BETWEEN_CLOCK_READS == 0) {
      beatIfDue();
    }
  }

  /** Renews now if a heartbeat is due (between phases that write no rows). */
  void beatIfDue() {
    if (!time.now().isBefore(lastBeat.plus(every))) {
      beat();
    }
  }

  /** Renews now, whatever the time: confirms the job is still held (before committing the file). */
  void beat() {
    Instant now = time.now();
    ExportJob renewed = job.renew(now, owner, rows, now.plus(lease));
    if (!jobs.updateIfHeldBy(owner, renewed)) {
      throw new TallyException(TallyException.Kind.FAULT, ExportJob.LEASE_LOST,
          "Export " + job.jobId() + " was cancelled or taken over while attempt " + job.attempts() + " ran.");
    }
    job = renewed;
    lastBeat = now;
  }

  long rows() {
    return rows;
  }

  String owner() {
    return owner;
  }

  /** @return the job as last stored by this keeper */
  ExportJob job() {
    return job;
  }
}
