package io.tally.analytics.app;

import io.tally.analytics.ports.in.AuditRefusals;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the per-minute totals of refused requests ({@link AuditRefusals#flush}) every {@value #EVERY_SECONDS}
 * seconds on a background thread, and once more when the server stops, so a minute's total is on record at most
 * that long after the minute ends.
 */
final class RefusalAuditFlusher implements AutoCloseable {
  static final long EVERY_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(RefusalAuditFlusher.class);

  private final AuditRefusals refusals;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tally-refusal-audit");
    t.setDaemon(true);
    return t;
  });

  RefusalAuditFlusher(AuditRefusals refusals) {
    this.refusals = refusals;
    executor.scheduleWithFixedDelay(this::flushSafely, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
  }

  private void flushSafely() {
    try {
      refusals.flush();
    } catch (RuntimeException e) {
      LOG.warn("writing the refused-request totals to the audit log failed; retrying", e);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushSafely();
  }
}
