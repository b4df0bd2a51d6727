package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {
  private final AtomicLong nanos = new AtomicLong(123);
  private final WarningThrottle throttle = new WarningThrottle(Duration.ofSeconds(30), nanos::get);

  @Test
  void theFirstWarningPassesThenOnePerIntervalWithTheHeldBackCount() {
    assertThat(throttle.admit()).isZero();
    assertThat(throttle.admit()).isEqualTo(-1);
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(throttle.admit()).isEqualTo(-1);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(throttle.admit()).isEqualTo(2);
    assertThat(throttle.admit()).isEqualTo(-1);
    nanos.addAndGet(Duration.ofMinutes(10).toNanos());
    assertThat(throttle.admit()).isEqualTo(1);
  }
}
