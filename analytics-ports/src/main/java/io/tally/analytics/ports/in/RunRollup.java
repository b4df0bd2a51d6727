package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import java.util.Objects;

/**
 * Refreshes the rollups of every dirty bucket (the background worker calls it every few seconds) and retries the
 * quarantined hours that are due. An hour that cannot be rolled up is quarantined, never stops the others.
 * Requires {@code analytics:events:write} on the platform scope, so only a platform-operator system actor runs it.
 */
public interface RunRollup {
  /**
   * @param command limits of this run
   * @return what was refreshed
   */
  RollupRunReport run(RunRollupCommand command);

  /**
   * @param actor caller
   * @param maxBucketsPerStep hourly buckets claimed per transaction, {@code > 0}
   * @param maxSteps most transactions in this run, {@code > 0}; the run stops earlier once nothing is dirty
   */
  record RunRollupCommand(Actor actor, int maxBucketsPerStep, int maxSteps) {
    /** Validates. */
    public RunRollupCommand {
      Objects.requireNonNull(actor, "actor");
      if (maxBucketsPerStep <= 0 || maxSteps <= 0) {
        throw new IllegalArgumentException("limits must be > 0");
      }
    }
  }

  /**
   * @param steps transactions run
   * @param hourlyBucketsRefreshed hourly buckets recomputed
   * @param dailyBucketsRefreshed daily buckets re-derived
   * @param eventsRead events rolled up (raw events read for recomputed hours, events covered by merged deltas)
   * @param dirtyRemaining hourly buckets still dirty at the end (quarantined hours included)
   * @param failedHours hours whose rollup failed in this run (now quarantined, or still)
   * @param quarantinedHours hours in quarantine at the end of the run
   */
  record RollupRunReport(int steps, long hourlyBucketsRefreshed, long dailyBucketsRefreshed, long eventsRead,
      long dirtyRemaining, long failedHours, long quarantinedHours) {}
}
