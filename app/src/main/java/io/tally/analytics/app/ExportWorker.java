package io.tally.analytics.app;

import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.ports.in.RunExports;
import io.tally.analytics.ports.in.RunExports.ExportRun;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EXPORT_WORKER_CONCURRENCY} threads, each running {@link RunExports#runNext} in a loop: straight on to the
 * next job after one ran, a pause of {@code EXPORT_WORKER_INTERVAL} when none was claimable or the store failed.
 * Each thread is its own lease owner, with a random part so a restarted process never passes for its dead
 * predecessor. Closing lets running exports finish (up to 30 s); one still running then is interrupted, and its
 * lease lapses and another worker takes it over.
 */
final class ExportWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);

  private final RunExports exports;
  private final int concurrency;
  private final Duration interval;
  private final ExportMetrics metrics;
  private final String instance = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService threads;

  ExportWorker(RunExports exports, int concurrency, Duration interval, ExportMetrics metrics) {
    this.exports = Objects.requireNonNull(exports, "exports");
    this.concurrency = concurrency;
    this.interval = Objects.requireNonNull(interval, "interval");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
      Thread t = new Thread(r, "tally-export-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    for (int i = 1; i <= concurrency; i++) {
      String workerId = "export-worker-" + instance + "-" + i;
      threads.execute(() -> loop(workerId));
    }
  }

  private void loop(String workerId) {
    while (!closed.get()) {
      boolean ran = runOnce(workerId);
      if (!ran && !closed.get()) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** @return true when a job ran (look for the next one at once) */
  boolean runOnce(String workerId) {
    long started = System.nanoTime();
    try {
      Optional<ExportRun> run = exports.runNext(workerId);
      run.ifPresent(r -> record(r, Duration.ofNanos(System.nanoTime() - started)));
      return run.isPresent();
    } catch (RuntimeException e) {
      // The job store itself failed (claim or outcome); a claimed job's lease lapses and is taken over.
      LOG.atWarn().addKeyValue("worker", workerId).setCause(e).log("export worker step failed; pausing");
      return false;
    }
  }

  private void record(ExportRun run, Duration took) {
    metrics.generation(run.job().spec().kind(), took);
    var log = LOG.atInfo().addKeyValue("job_id", run.job().jobId()).addKeyValue("org_id", run.job().orgId())
        .addKeyValue("attempt", run.job().attempts()).addKeyValue("outcome", run.outcome())
        .addKeyValue("rows", run.job().rowsWritten()).addKeyValue("millis", took.toMillis());
    run.reason().ifPresent(r -> log.addKeyValue("reason", r.code()));
    switch (run.outcome()) {
      case SUCCEEDED -> metrics.job(run.job(), "succeeded");
      case RETRY_SCHEDULED -> metrics.job(run.job(), "retrying");
      case FAILED -> metrics.failed(run.job(), run.reason().orElse(ExportFailureReason.INTERNAL));
      case ABANDONED -> {
        // Cancelled (counted by the API) or taken over (the new holder reports it).
      }
    }
    log.log("export run");
  }

  @Override
  public void close() {
    closed.set(true);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
