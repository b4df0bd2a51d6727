package io.tally.analytics.app;

import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;

/** Runs the rollup until no dirty bucket is left, for commands that must answer from complete rollups. */
final class RollupDrain {
  private static final int MAX_RUNS = 10_000;

  private RollupDrain() {}

  /** @return raw events read in total */
  static long drain(RunRollup rollup) {
    long read = 0;
    for (int i = 0; i < MAX_RUNS; i++) {
      RollupRunReport report = rollup.run(new RunRollupCommand(SystemActor.get(), 1_000, 100));
      read += report.eventsRead();
      if (report.dirtyRemaining() == 0 || report.steps() == 0) {
        break;
      }
    }
    return read;
  }
}
