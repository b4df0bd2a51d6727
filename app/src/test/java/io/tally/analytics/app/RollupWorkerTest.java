package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RollupWorkerTest {
  private static final RollupRunReport NOTHING = new RollupRunReport(1, 0, 0, 0, 0, 0, 0);

  @Test
  void pausesForTheIntervalAfterAQuickRunAndForTheRunsOwnLengthAfterASlowOne() {
    Duration second = Duration.ofSeconds(1);
    assertThat(RollupWorker.pauseAfter(second, Duration.ofMillis(40))).isEqualTo(second);
    assertThat(RollupWorker.pauseAfter(second, second)).isEqualTo(second);
    assertThat(RollupWorker.pauseAfter(second, Duration.ofMillis(2_500))).isEqualTo(Duration.ofMillis(2_500));
  }

  // With an hour-long interval, only wake() can start these runs.
  @Test
  void afterTheFirstRunAWakeStartsARunAtOnceAndWakesDuringARunCoalesceIntoOneMore() throws Exception {
    Semaphore started = new Semaphore(0);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    RunRollup rollup = command -> {
      if (runs.incrementAndGet() == 1) {
        return NOTHING;
      }
      started.release();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return NOTHING;
    };
    try (RollupWorker worker = new RollupWorker(rollup, Duration.ofHours(1), new SimpleMeterRegistry())) {
      worker.start();
      worker.wake();
      assertThat(started.tryAcquire(300, TimeUnit.MILLISECONDS)).as("before any run, the interval decides").isFalse();
      worker.runOnce();
      worker.wake();
      assertThat(started.tryAcquire(30, TimeUnit.SECONDS)).as("the woken run started").isTrue();
      worker.wake();
      worker.wake();
      worker.wake();
      release.countDown();
      assertThat(started.tryAcquire(30, TimeUnit.SECONDS)).as("one more run for the wakes during the first").isTrue();
      assertThat(started.tryAcquire(500, TimeUnit.MILLISECONDS)).as("and only one").isFalse();
      assertThat(runs).hasValue(3);
    }
  }

  @Test
  void runsThatReadEventsAreSummedIntoAtMostOneInfoLinePerPeriod() {
    RollupWorker.RunLog log = new RollupWorker.RunLog(Duration.ofSeconds(10));
    long second = 1_000_000_000L;
    assertThat(log.record(NOTHING, 0)).as("a run that read nothing says nothing").isEmpty();
    assertThat(log.record(read(100, 1, 3), 1 * second))
        .as("the first run that read events logs at once")
        .contains(new RollupWorker.RunLog.Summary(1, 100, 1, 3));
    assertThat(log.record(read(20, 1, 2), 2 * second)).isEmpty();
    assertThat(log.record(NOTHING, 3 * second)).isEmpty();
    assertThat(log.record(read(30, 2, 1), 10 * second)).as("9 s after the last line").isEmpty();
    assertThat(log.record(read(5, 1, 0), 11 * second))
        .as("10 s after the last line: the sum of the three runs since, the last run's dirty count")
        .contains(new RollupWorker.RunLog.Summary(3, 55, 4, 0));
    assertThat(log.record(read(1, 1, 0), 12 * second)).isEmpty();
  }

  private static RollupRunReport read(long events, long hours, long dirtyRemaining) {
    return new RollupRunReport(1, hours, hours, events, dirtyRemaining, 0, 0);
  }
}
