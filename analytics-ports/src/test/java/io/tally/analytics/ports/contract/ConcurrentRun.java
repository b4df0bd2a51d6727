package io.tally.analytics.ports.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/** Starts N plain threads together and waits for all of them (no timeouts: a hang is a failing build). */
final class ConcurrentRun {
  private ConcurrentRun() {}

  interface Work {
    void run(int worker) throws Exception;
  }

  static void run(int threads, Work work) throws InterruptedException {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> all = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int worker = i;
      Thread t = new Thread(() -> {
        try {
          start.await();
          work.run(worker);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "contract-worker-" + i);
      all.add(t);
      t.start();
    }
    for (Thread t : all) {
      t.join();
    }
    if (!failures.isEmpty()) {
      AssertionError error = new AssertionError("a worker failed");
      failures.forEach(error::addSuppressed);
      throw error;
    }
  }
}
