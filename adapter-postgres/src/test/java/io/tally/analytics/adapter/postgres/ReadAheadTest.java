package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  @Test
  void everyRowArrivesInOrderOnTheCallersThread() {
    List<Integer> got = new ArrayList<>();
    Thread caller = Thread.currentThread();
    ReadAhead.<Integer>stream(row -> {
      for (int i = 0; i < 10_007; i++) {
        row.accept(i);
      }
    }, i -> {
      assertThat(Thread.currentThread()).isSameAs(caller);
      got.add(i);
    }, 100, 3);
    assertThat(got).hasSize(10_007).isSorted();
    assertThat(got.get(10_006)).isEqualTo(10_006);
  }

  @Test
  void aFailingReadReachesTheCaller() {
    assertThatThrownBy(() -> ReadAhead.<Integer>stream(row -> {
      row.accept(1);
      throw new IllegalStateException("connection lost");
    }, i -> { }, 10, 2)).isInstanceOf(IllegalStateException.class).hasMessage("connection lost");
  }

  @Test
  void aCallerThatStopsEarlyStopsTheReaderBeforeReturning() {
    AtomicInteger produced = new AtomicInteger();
    AtomicBoolean readerFinished = new AtomicBoolean();
    assertThatThrownBy(() -> ReadAhead.<Integer>stream(row -> {
      try {
        for (int i = 0; i < 1_000_000; i++) {
          row.accept(i);
          produced.incrementAndGet();
        }
      } finally {
        readerFinished.set(true);
      }
    }, i -> {
      if (i == 50) {
        throw new IllegalArgumentException("lease lost");
      }
    }, 10, 2)).hasMessage("lease lost");
    assertThat(readerFinished).as("the read (and its transaction) ended before stream returned").isTrue();
    assertThat(produced.get()).as("the reader stopped instead of reading everything").isLessThan(1_000);
  }
}
