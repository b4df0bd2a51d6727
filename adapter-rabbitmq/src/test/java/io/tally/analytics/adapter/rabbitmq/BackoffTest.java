package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(4));

  @Test
  void retriesUntilAnAttemptSucceedsDoublingTheWaitUpToTheMax() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    List<Duration> waits = new ArrayList<>();
    Optional<String> result = backoff.retry(() -> {
      if (calls.incrementAndGet() < 5) throw new IllegalStateException("not yet");
      return "done";
    }, () -> true, (e, next) -> waits.add(next));
    assertThat(result).contains("done");
    assertThat(waits).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
        Duration.ofMillis(4));
  }

  @Test
  void stopsWhenTheFailureHandlerGivesUpOrTheCallerSaysStop() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    assertThat(backoff.retry(() -> {
      calls.incrementAndGet();
      throw new IllegalStateException("fatal");
    }, () -> true, (e, next) -> false)).isEmpty();
    assertThat(calls).hasValue(1);
    assertThat(backoff.retry(() -> "never", () -> false, (e, next) -> true)).isEmpty();
  }

  @Test
  void afterAFirstWaitTheNextFailureWaitsTwiceTheMinimum() throws InterruptedException {
    List<Duration> waits = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    backoff.retryAfterFirstWait(() -> {
      if (calls.incrementAndGet() < 2) throw new IllegalStateException("not yet");
      return 1;
    }, () -> true, (e, next) -> waits.add(next));
    assertThat(waits).containsExactly(Duration.ofMillis(2));
  }

  @Test
  void anInterruptionEndsTheLoop() {
    assertThatThrownBy(() -> backoff.retry(() -> {
      throw new InterruptedException();
    }, () -> true, (e, next) -> true)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void boundsAreValidated() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
