package io.tally.analytics.adapter.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a streaming read on a thread of its own and hands its rows to the caller's thread in batches through a
 * small bounded queue, so decoding rows (JDBC, the domain record) overlaps with what the caller does with them
 * (an export's CSV, checksum and upload). Memory stays at {@code depth} batches. When the caller stops early (its
 * sink throws), the reader is told to stop at its next hand-over and its transaction ends before this returns.
 * Measured with {@code scripts/bench export}: see docs/benchmarks.md.
 */
final class ReadAhead {
  private static final Object END = new Object();

  private record Failure(Throwable cause) {}

  /** Thrown inside the reader when the caller has gone; never escapes. */
  private static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super(null, null, false, false);
    }
  }

  private ReadAhead() {}

  /**
   * @param source the read: calls its argument once per row, on the reader thread
   * @param sink receives every row, in order, on the caller's thread
   * @param batch rows per hand-over
   * @param depth batches buffered ahead of the caller
   */
  static <T> void stream(Consumer<Consumer<T>> source, Consumer<T> sink, int batch, int depth) {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(depth);
    AtomicBoolean abandoned = new AtomicBoolean();
    Thread reader = new Thread(() -> read(source, queue, abandoned, batch), "tally-read-ahead");
    reader.setDaemon(true);
    reader.start();
    try {
      consume(queue, sink);
    } finally {
      abandoned.set(true);
      queue.clear();
      joinUninterruptibly(reader);
    }
  }

  private static <T> void read(Consumer<Consumer<T>> source, BlockingQueue<Object> queue, AtomicBoolean abandoned,
      int batch) {
    List<List<T>> current = new ArrayList<>(List.of(new ArrayList<>(batch)));
    try {
      source.accept(row -> {
        List<T> rows = current.get(0);
        rows.add(row);
        if (rows.size() == batch) {
          hand(queue, rows, abandoned);
          current.set(0, new ArrayList<>(batch));
        }
      });
      if (!current.get(0).isEmpty()) {
        hand(queue, current.get(0), abandoned);
      }
      hand(queue, END, abandoned);
    } catch (Abandoned gone) {
      // The caller stopped; the source has unwound and closed its cursor.
    } catch (Throwable failure) {
      try {
        hand(queue, new Failure(failure), abandoned);
      } catch (Abandoned gone) {
        // The caller stopped first; its own failure is the one reported.
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void consume(BlockingQueue<Object> queue, Consumer<T> sink) {
    while (true) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading ahead", e);
      }
      if (next == END) {
        return;
      }
      if (next instanceof Failure f) {
        if (f.cause() instanceof RuntimeException r) {
          throw r;
        }
        if (f.cause() instanceof Error e) {
          throw e;
        }
        throw new IllegalStateException(f.cause());
      }
      ((List<T>) next).forEach(sink);
    }
  }

  private static void hand(BlockingQueue<Object> queue, Object item, AtomicBoolean abandoned) {
    try {
      while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (abandoned.get()) {
          throw new Abandoned();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Abandoned();
    }
    if (abandoned.get()) {
      throw new Abandoned();
    }
  }

  private static void joinUninterruptibly(Thread reader) {
    boolean interrupted = false;
    while (reader.isAlive()) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
