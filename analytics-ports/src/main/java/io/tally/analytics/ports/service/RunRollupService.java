package io.tally.analytics.ports.service;

import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupHourException;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Runs incremental refresh steps until nothing is dirty or the step budget is spent, then retries the quarantined
 * hours that are due. Each step is one store transaction ({@link RollupRefresher}), so several workers may run this at once.
 *
 * <p>The failure boundary is one organisation's hour (issue 8: one event from 1600 used to stop every rollup of
 * every organisation). When a step fails on the data of some hour ({@link RollupHourException}), the hours that
 * step would have claimed are refreshed one by one instead, and each hour that fails on its own is quarantined
 * with the reason and retried after the backoff of the {@link RollupRetryPolicy}; all the others are rolled up as
 * usual. Any other failure (the database is unreachable) ends the run and quarantines nothing.
 */
public final class RunRollupService implements RunRollup {
  private final AccessGuard accessGuard;
  private final RollupStore rollups;
  private final RollupRefresher refresher;
  private final RollupQuarantine quarantine;
  private final RollupRetryPolicy retries;
  private final TimeSource time;

  /**
   * @param accessGuard authorizes the platform-scope run
   * @param rollups rollup store
   * @param freshness the watermarks each step advances
   * @param quarantine where failing hours wait for their retry
   * @param retries when a failing hour is tried again ({@link RollupRetryPolicy#DEFAULT})
   * @param computation domain math, normally {@link RollupComputation#standard()}
   * @param time refresh time written as watermark, and the clock of the backoff
   */
  public RunRollupService(AccessGuard accessGuard, RollupStore rollups, FreshnessStore freshness,
      RollupQuarantine quarantine, RollupRetryPolicy retries, RollupComputation computation, TimeSource time) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.refresher = new RollupRefresher(rollups, freshness, computation);
    this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
    this.retries = Objects.requireNonNull(retries, "retries");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public RollupRunReport run(RunRollupCommand command) {
    accessGuard.require(command.actor(), Permission.EVENTS_WRITE, ResourceScope.platform(), "rollup.run");
    Tally tally = new Tally();
    RefreshResult step;
    do {
      step = step(command.maxBucketsPerStep(), tally);
      tally.steps++;
    } while (step.dirtyRemaining() > 0 && step.hourlyBucketsRefreshed() > 0 && tally.steps < command.maxSteps());
    boolean retried = retryDue(command.maxBucketsPerStep(), tally);
    long dirty = retried ? rollups.dirtyBucketCount() : step.dirtyRemaining();
    return new RollupRunReport(tally.steps, tally.hourly, tally.daily, tally.read, dirty, tally.failed,
        quarantine.count());
  }

  private RefreshResult step(int maxBuckets, Tally tally) {
    try {
      return tally.add(refresher.refreshDirty(maxBuckets, time.now()));
    } catch (RollupHourException someHourFailed) {
      List<OrgHour> pending = rollups.pendingHours(maxBuckets);
      if (pending.isEmpty()) {
        throw someHourFailed;
      }
      for (OrgHour hour : pending) {
        refreshAlone(hour, tally);
      }
      // Counts the quarantined hours as handled too, so the run goes on with the next step while anything is left.
      return new RefreshResult(pending.size(), 0, 0, rollups.dirtyBucketCount());
    }
  }

  /** @return true when some hour was due */
  private boolean retryDue(int maxBuckets, Tally tally) {
    List<QuarantinedHour> due = quarantine.due(time.now(), maxBuckets);
    due.forEach(entry -> refreshAlone(entry.hour(), tally));
    return !due.isEmpty();
  }

  /** @return true when the hour rolled up; false when it failed and is (still) quarantined */
  private boolean refreshAlone(OrgHour hour, Tally tally) {
    try {
      tally.add(refresher.refreshHours(List.of(hour), time.now()));
      return true;
    } catch (RollupHourException failed) {
      Instant now = time.now();
      String reason = failed.errorCode() + ": " + failed.getMessage();
      quarantine.record(quarantine.find(hour)
          .map(previous -> retries.failedAgain(previous, reason, now))
          .orElseGet(() -> retries.firstFailure(hour, reason, now)));
      tally.failed++;
      return false;
    }
  }

  /** Running totals of one run. */
  private static final class Tally {
    int steps;
    long hourly;
    long daily;
    long read;
    long failed;

    RefreshResult add(RefreshResult r) {
      hourly += r.hourlyBucketsRefreshed();
      daily += r.dailyBucketsRefreshed();
      read += r.eventsRead();
      return r;
    }
  }
}
