package io.tally.analytics.app;

import io.tally.analytics.ports.in.IngestUsageBatch;
import java.util.Objects;

/**
 * The ingest use case that wakes the rollup worker ({@link RollupWorker#wake}) after a batch that stored events has
 * committed, on both paths (HTTP and stream), so the rollup need not wait out its interval to show them.
 */
final class RollupWakingIngest implements IngestUsageBatch {
  private final IngestUsageBatch delegate;
  private final Runnable wake;

  /**
   * @param delegate the use case
   * @param wake called after each committed batch that stored at least one event
   */
  RollupWakingIngest(IngestUsageBatch delegate, Runnable wake) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.wake = Objects.requireNonNull(wake, "wake");
  }

  @Override
  public IngestReport ingest(IngestCommand command) {
    return woken(delegate.ingest(command));
  }

  @Override
  public Prepared prepare(IngestCommand command) {
    Prepared prepared = delegate.prepare(command);
    return () -> woken(prepared.commit());
  }

  private IngestReport woken(IngestReport report) {
    if (report.accepted() > 0) {
      wake.run();
    }
    return report;
  }
}
