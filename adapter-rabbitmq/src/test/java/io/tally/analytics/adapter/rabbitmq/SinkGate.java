package io.tally.analytics.adapter.rabbitmq;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds or slows a test sink's batches: what the fault tests use to pick the moment a broker goes away. */
final class SinkGate {
  private volatile long slowMillis;
  private volatile CountDownLatch gate;

  void slow(long millisPerBatch) {
    slowMillis = millisPerBatch;
  }

  /** @return the latch every {@link #pass} waits on (at most 60 s) until {@link #unblock} */
  CountDownLatch block() {
    CountDownLatch l = new CountDownLatch(1);
    gate = l;
    return l;
  }

  void unblock() {
    CountDownLatch l = gate;
    gate = null;
    if (l != null) {
      l.countDown();
    }
  }

  /** Called at the start of each batch. */
  void pass() throws InterruptedException {
    CountDownLatch l = gate;
    if (l != null) {
      l.await(60, TimeUnit.SECONDS);
    }
    if (slowMillis > 0) {
      Thread.sleep(slowMillis);
    }
  }
}
