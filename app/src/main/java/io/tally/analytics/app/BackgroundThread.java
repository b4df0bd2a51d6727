package io.tally.analytics.app;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The one daemon thread a background worker runs on (rollup, housekeeping), and how it is stopped. */
final class BackgroundThread {
  private BackgroundThread() {}

  /** @return a single-thread scheduler whose daemon thread is named {@code name} */
  static ScheduledExecutorService named(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    // A run scheduled for later does not start once stop() began (the default ran it, and stop() waited for it:
    // up to a whole ROLLUP_INTERVAL).
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  /** Lets the current run finish (up to 30 s), then interrupts it; no run starts after this. */
  static void stop(ScheduledExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
