package io.tally.analytics.ports.in;

/**
 * Seam for the export worker, implemented by the export-run step (not yet built). Its shape: claim a job with
 * {@code ExportJobStore.claimNext(now)}, stream the CSV through {@code core.csv.CsvWriter} into
 * {@code ObjectStore.put} (rows read page by page, never all in memory), then store
 * {@code job.succeed(now, key, rows, now + retention)} or {@code job.fail(now, reason)} with
 * {@code ExportJobStore.update}. Background workers call it in a loop; tests call it directly.
 */
public interface RunExports {
  /** @return true when a job was claimed and run (whatever its outcome), false when none was pending */
  boolean runNext();
}
