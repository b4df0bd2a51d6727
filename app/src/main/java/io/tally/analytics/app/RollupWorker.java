package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the incremental rollup every {@code ROLLUP_INTERVAL} on one background thread (or, after a run that took
 * longer than that, after a pause as long as the run: {@link #pauseAfter}). An ingest that stored events wakes it
 * ({@link #wake}): the next run then starts {@link #WAKE_GAP} after the last one ended (or the last run's length,
 * if longer) instead of a whole interval later, and wakes during a run or a pending early run coalesce into one.
 * With the deltas appends write, a run over a busy hour costs little, so visibility is bounded by the consumer's
 * commit instead of the interval (docs/benchmarks.md, ingest-stream, issue 12c); an idle system still runs once per
 * interval. A failed run is logged and
 * retried at the next tick; {@code analytics_rollup_last_success_timestamp} stops moving, which is what the
 * freshness alert watches. An hour that cannot be rolled up does not fail the run: it is quarantined, and
 * {@code analytics_rollup_failed_hours} counts the quarantined hours after every run.
 */
final class RollupWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RollupWorker.class);
  private static final int MAX_BUCKETS_PER_STEP = 1_000;
  private static final int MAX_STEPS = 100;
  /** The shortest pause between the end of a run and a run an ingest woke. */
  static final Duration WAKE_GAP = Duration.ofMillis(100);
  /**
   * At most one INFO line per this much time: runs woken by commits come up to ten times a second under steady
   * ingest, so each run is a DEBUG line and the INFO line sums the runs since the last one.
   */
  static final Duration LOG_SUMMARY_EVERY = Duration.ofSeconds(10);

  private final RunRollup rollup;
  private final Tracing tracing;
  private final Duration interval;
  private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
  private final AtomicLong quarantinedHours = new AtomicLong();
  private final AtomicReference<Optional<String>> lastRunFailure = new AtomicReference<>(Optional.empty());
  /** Start (epoch millis) of the last run that left nothing behind that was dirty when it began. */
  private final AtomicLong caughtUpAtMillis = new AtomicLong(System.currentTimeMillis());
  private final Timer duration;
  private final Counter rowsProcessed;
  private final Counter succeeded;
  private final Counter failed;
  private final ScheduledExecutorService executor = BackgroundThread.named("tally-rollup");
  // Scheduling state, guarded by this: the pending run, when it is due, whether one is running, whether an ingest
  // woke the worker while it ran, and the earliest time a woken run may start.
  private ScheduledFuture<?> next;
  private long nextDueNanos;
  private boolean running;
  private boolean wokenWhileRunning;
  private long earliestWakeNanos;
  private boolean ranOnce;
  private final RunLog runLog = new RunLog(LOG_SUMMARY_EVERY);

  RollupWorker(RunRollup rollup, Duration interval, MeterRegistry registry) {
    this(rollup, interval, registry, Tracing.off());
  }

  /** As above; each run is a root span {@code rollup run} (the use case and its statements beneath). */
  RollupWorker(RunRollup rollup, Duration interval, MeterRegistry registry, Tracing tracing) {
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.rollup = Objects.requireNonNull(rollup, "rollup");
    this.interval = Objects.requireNonNull(interval, "interval");
    Gauge.builder("analytics_rollup_last_success_timestamp", lastSuccessEpochSeconds, AtomicLong::get)
        .description("Unix time of the last successful rollup run").register(registry);
    this.duration = Timer.builder("analytics_rollup_duration_seconds").description("Rollup run duration")
        .register(registry);
    this.rowsProcessed = Counter.builder("analytics_rollup_rows_processed")
        .description("Events rolled up: raw events read for recomputed hours, events covered by merged deltas").register(registry);
    this.succeeded = runs(registry, "success");
    this.failed = runs(registry, "failure");
    // now - caughtUpAt: everything ingested before caughtUpAt is in the rollups. No per-organisation series
    // (cardinality); a stuck hour or a failing run stops caughtUpAt, so the gauge grows and the alert fires. A
    // quarantined hour does not stop it (a run that stops early has caught up with everything it can claim): it
    // has its own gauge, analytics_rollup_failed_hours, and alert.
    Gauge.builder("analytics_freshness_lag_seconds", caughtUpAtMillis,
            at -> Math.max(0, System.currentTimeMillis() - at.get()) / 1000.0)
        .description("Seconds since the start of the last rollup run that caught up with every dirty hour")
        .register(registry);
    Gauge.builder("analytics_rollup_failed_hours", quarantinedHours, AtomicLong::get)
        .description("Hours whose rollup failed and that wait in quarantine for a retry (see tally verify)")
        .register(registry);
  }

  private static Counter runs(MeterRegistry registry, String outcome) {
    return Counter.builder("analytics_rollup_runs").description("Rollup runs by outcome (success, failure)")
        .tags("outcome", outcome).register(registry);
  }

  /** @return the failure of the last run, empty when it succeeded (or none ran yet) */
  Optional<String> lastRunFailure() {
    return lastRunFailure.get();
  }

  /** @return when the last run succeeded, empty before the first */
  Optional<Instant> lastSuccess() {
    long at = lastSuccessEpochSeconds.get();
    return at == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(at));
  }

  void start() {
    synchronized (this) {
      schedule(interval);
    }
  }

  /**
   * Asks for a run soon: events were committed. Cheap and safe to call from any thread, as often as batches commit;
   * calls during a run, or while an early run is already pending, add nothing.
   */
  void wake() {
    synchronized (this) {
      if (running) {
        wokenWhileRunning = true;
        return;
      }
      // Until a run has succeeded the timer decides: on a fresh database that run writes the first
      // freshness_clean_as_of, and a run woken before it (by the first ingest) left reads in the gap between its commit and its watermark
      // write answering the new event with no watermark at all, "stale" (RollupIsolationIT).
      if (!ranOnce) {
        return;
      }
      long now = System.nanoTime();
      long at = now - earliestWakeNanos > 0 ? now : earliestWakeNanos;
      if (next == null || next.isDone() || nextDueNanos - at <= 0) {
        return;
      }
      if (next.cancel(false)) {
        schedule(Duration.ofNanos(at - now));
      }
    }
  }

  /**
   * A refresh that recomputes an hour re-reads every raw event of it (a full mark: a price change, a forced
   * refresh); most hours merge the deltas of their appends instead, at a cost that does not grow with the hour,
   * but a long run still happens (catching up after downtime, a re-price of a busy hour). Pausing at least as long as the last run took keeps the rollup to half of the database
   * time at most, so ingest keeps up and visibility degrades gradually instead of both collapsing.
   *
   * @return how long to wait after a run that took {@code lastRun}
   */
  static Duration pauseAfter(Duration interval, Duration lastRun) {
    return lastRun.compareTo(interval) > 0 ? lastRun : interval;
  }

  /** Schedules the next run; the caller holds this. */
  private void schedule(Duration delay) {
    try {
      nextDueNanos = System.nanoTime() + delay.toNanos();
      next = executor.schedule(this::runAndReschedule, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // close() has begun; no more runs.
    }
  }

  private void runAndReschedule() {
    synchronized (this) {
      running = true;
      wokenWhileRunning = false;
    }
    long started = System.nanoTime();
    try {
      runSafely();
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      synchronized (this) {
        running = false;
        Duration wakePause = pauseAfter(WAKE_GAP, took);
        earliestWakeNanos = System.nanoTime() + wakePause.toNanos();
        schedule(wokenWhileRunning ? wakePause : pauseAfter(interval, took));
      }
    }
  }

  /** Runs once now on the caller's thread (seed, tests); failures propagate. */
  RollupRunReport runOnce() {
    long started = System.nanoTime();
    long startedAtMillis = System.currentTimeMillis();
    RollupRunReport report;
    try {
      report = tracing.inSpanUnchecked("rollup run", SpanKind.INTERNAL, Attributes.empty(),
          () -> rollup.run(new RunRollupCommand(SystemActor.get(), MAX_BUCKETS_PER_STEP, MAX_STEPS)));
    } catch (RuntimeException e) {
      failed.increment();
      throw e;
    }
    duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    rowsProcessed.increment(report.eventsRead());
    quarantinedHours.set(report.quarantinedHours());
    succeeded.increment();
    synchronized (this) {
      ranOnce = true;
    }
    lastSuccessEpochSeconds.set(System.currentTimeMillis() / 1000);
    lastRunFailure.set(Optional.empty());
    if (caughtUp(report)) {
      caughtUpAtMillis.accumulateAndGet(startedAtMillis, Math::max);
    }
    return report;
  }

  /**
   * A run stops early only when nothing it could claim is left; one that spent its whole step budget may have left
   * hours that were already dirty when it began.
   */
  static boolean caughtUp(RollupRunReport report) {
    return report.dirtyRemaining() == 0 || report.steps() < MAX_STEPS;
  }

  private void runSafely() {
    try {
      RollupRunReport report = runOnce();
      runLog.record(report, System.nanoTime());
      if (report.failedHours() > 0) {
        LOG.atWarn().addKeyValue("failed_hours", report.failedHours())
            .addKeyValue("quarantined_hours", report.quarantinedHours())
            .log("rollup: hours failed and are quarantined; the other hours were rolled up (tally verify lists them)");
      }
    } catch (RuntimeException e) {
      lastRunFailure.set(Optional.of(e.getClass().getSimpleName()));
      LOG.warn("rollup run failed; retrying at the next interval", e);
    }
  }

  @Override
  public void close() {
    BackgroundThread.stop(executor);
  }

  /**
   * The worker's run log: every run that read events is a DEBUG line; the runs are summed into an INFO line at most
   * once per {@code every} (the first run that read events after a quiet spell logs at once). Used by the worker's
   * one thread only.
   */
  static final class RunLog {
    private final long everyNanos;
    private long runs;
    private long eventsRead;
    private long hourlyBuckets;
    private long lastInfoNanos;
    private boolean loggedInfo;

    RunLog(Duration every) {
      this.everyNanos = every.toNanos();
    }

    /**
     * @param report a successful run
     * @param nowNanos {@link System#nanoTime()} at its end
     * @return the summary written at INFO now, empty when this run only added to the next one
     */
    Optional<Summary> record(RollupRunReport report, long nowNanos) {
      if (report.eventsRead() == 0) {
        return Optional.empty();
      }
      LOG.atDebug().addKeyValue("events_read", report.eventsRead())
          .addKeyValue("hourly_buckets", report.hourlyBucketsRefreshed())
          .addKeyValue("dirty_remaining", report.dirtyRemaining()).log("rollup run");
      runs++;
      eventsRead += report.eventsRead();
      hourlyBuckets += report.hourlyBucketsRefreshed();
      if (loggedInfo && nowNanos - lastInfoNanos < everyNanos) {
        return Optional.empty();
      }
      Summary summary = new Summary(runs, eventsRead, hourlyBuckets, report.dirtyRemaining());
      LOG.atInfo().addKeyValue("runs", summary.runs()).addKeyValue("events_read", summary.eventsRead())
          .addKeyValue("hourly_buckets", summary.hourlyBuckets())
          .addKeyValue("dirty_remaining", summary.dirtyRemaining()).log("rollup runs");
      runs = 0;
      eventsRead = 0;
      hourlyBuckets = 0;
      lastInfoNanos = nowNanos;
      loggedInfo = true;
      return Optional.of(summary);
    }

    /** What one INFO line said: the runs that read events since the previous line, and what the last one left. */
    record Summary(long runs, long eventsRead, long hourlyBuckets, long dirtyRemaining) {}
  }
}
