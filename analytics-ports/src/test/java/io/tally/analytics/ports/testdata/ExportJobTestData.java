package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportSpec;
import java.time.Instant;

/** Export jobs for tests. */
public final class ExportJobTestData {
  /** The appendix's range. */
  public static final ExportSpec WEEK = new ExportSpec(ExportKind.USAGE_ROLLUP,
      Instant.parse("2025-11-01T00:00:00Z"), Instant.parse("2025-11-07T23:59:59Z"), ExportGranularity.DAILY);

  private ExportJobTestData() {}

  /** @return a PENDING job with three attempts */
  public static ExportJob aPendingJob(String jobId, String orgId, Instant createdAt) {
    return ExportJob.pending(jobId, orgId, "alice", WEEK, 3, createdAt);
  }
}
