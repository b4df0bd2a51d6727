package io.tally.analytics.ports.service;

import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;

/**
 * Runs incremental refresh steps until nothing is dirty or the step budget is spent. Each step is one store
 * transaction, so several workers may run this at once.
 */
public final class RunRollupService implements RunRollup {
  private final AccessGuard accessGuard;
  private final RollupStore rollups;
  private final RollupComputation computation;
  private final TimeSource time;

  /**
   * @param accessGuard authorizes the platform-scope run
   * @param rollups rollup store
   * @param computation domain math, normally {@link RollupComputation#standard()}
   * @param time refresh time written as watermark
   */
  public RunRollupService(AccessGuard accessGuard, RollupStore rollups, RollupComputation computation,
      TimeSource time) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.computation = Objects.requireNonNull(computation, "computation");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public RollupRunReport run(RunRollupCommand command) {
    accessGuard.require(command.actor(), Permission.EVENTS_WRITE, ResourceScope.platform(), "rollup.run");
    int steps = 0;
    long hourly = 0;
    long daily = 0;
    long read = 0;
    RefreshResult step;
    do {
      step = rollups.refreshDirty(command.maxBucketsPerStep(), computation, time.now());
      steps++;
      hourly += step.hourlyBucketsRefreshed();
      daily += step.dailyBucketsRefreshed();
      read += step.eventsRead();
    } while (step.dirtyRemaining() > 0 && step.hourlyBucketsRefreshed() > 0 && steps < command.maxSteps());
    return new RollupRunReport(steps, hourly, daily, read, step.dirtyRemaining());
  }
}
