package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.export.ExportCsv;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportManifest;
import io.tally.analytics.core.export.ExportSpec;
import java.time.Instant;
import java.util.Optional;

/** Export jobs for tests. */
public final class ExportJobTestData {
  /** The appendix's range. */
  public static final ExportSpec WEEK = new ExportSpec(ExportKind.USAGE_ROLLUP,
      Instant.parse("2025-11-01T00:00:00Z"), Instant.parse("2025-11-07T23:59:59Z"), ExportGranularity.DAILY);
  /** Lease owner used by tests that play the worker. */
  public static final String WORKER = "test-worker";

  private ExportJobTestData() {}

  /** @return a PENDING job with three attempts */
  public static ExportJob aPendingJob(String jobId, String orgId, Instant createdAt) {
    return ExportJob.pending(jobId, orgId, "alice", WEEK, 3, createdAt);
  }

  /** @return a manifest for a file of {@code job} at {@code key} */
  public static ExportManifest aManifest(ExportJob job, String key, long rows, Instant at) {
    return new ExportManifest(job.jobId(), key, job.spec().fileName(), job.spec().compression().contentType(),
        job.spec().compression(), rows, rows * 10, "0".repeat(64), ExportCsv.columns(job.spec().kind()),
        ExportManifest.Query.of(job.orgId(), job.spec()), Optional.of(at), at, "test");
  }

  /** @return {@code running} (held by {@link #WORKER}) succeeded with a file at {@code key} */
  public static ExportJob succeeded(ExportJob running, String key, long rows, Instant at, Instant until) {
    return running.succeed(at, WORKER, aManifest(running, key, rows, at), until);
  }
}
