package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollupWorkerTest {
  @Test
  void pausesForTheIntervalAfterAQuickRunAndForTheRunsOwnLengthAfterASlowOne() {
    Duration second = Duration.ofSeconds(1);
    assertThat(RollupWorker.pauseAfter(second, Duration.ofMillis(40))).isEqualTo(second);
    assertThat(RollupWorker.pauseAfter(second, second)).isEqualTo(second);
    assertThat(RollupWorker.pauseAfter(second, Duration.ofMillis(2_500))).isEqualTo(Duration.ofMillis(2_500));
  }
}
