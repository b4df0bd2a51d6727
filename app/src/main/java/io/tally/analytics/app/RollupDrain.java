package io.tally.analytics.app;

import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;

/**
 * Runs the rollup until no dirty bucket is left but the quarantined ones, for commands that must answer from
 * complete rollups.
 */
final class RollupDrain {
  private static final int MAX_RUNS = 10_000;

  private RollupDrain() {}

  /** @return raw events read in total */
  static long drain(RunRollup rollup) {
    long read = 0;
    for (int i = 0; i < MAX_RUNS; i++) {
      RollupRunReport report = rollup.run(new RunRollupCommand(SystemActor.get(), 1_000, 100));
      read += report.eventsRead();
      // Quarantined hours stay dirty until a retry rolls them up; draining stops at them, it cannot wait them out.
      if (report.dirtyRemaining() <= report.quarantinedHours()) {
        break;
      }
    }
    return read;
  }
}
