package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EventTimeWindowProperties {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Property
  void acceptedExactlyInsideTheWindowAndEachSideHasItsCode(
      @ForAll @LongRange(min = 1, max = 36_525L * 86_400) long maxAgeSeconds,
      @ForAll @LongRange(min = 0, max = 86_400) long skewSeconds,
      @ForAll @LongRange(min = -40_000L * 86_400, max = 2 * 86_400) long offsetSeconds) {
    EventTimeWindow window = new EventTimeWindow(Duration.ofSeconds(maxAgeSeconds), Duration.ofSeconds(skewSeconds));
    Instant at = NOW.plusSeconds(offsetSeconds);
    Optional<Violation> outcome = window.check(at, NOW);
    boolean inside = offsetSeconds >= -maxAgeSeconds && offsetSeconds <= skewSeconds;
    assertThat(outcome.isEmpty()).isEqualTo(inside);
    assertThat(window.contains(at, NOW)).isEqualTo(inside);
    outcome.ifPresent(v -> {
      assertThat(v.field()).isEqualTo("occurredAt");
      assertThat(v.errorCode()).isEqualTo(offsetSeconds < 0 ? UsageEventRules.TOO_OLD : UsageEventRules.IN_FUTURE);
    });
  }

  @Property
  void theBoundsThemselvesAreInside(@ForAll @LongRange(min = 1, max = 36_525L * 86_400) long maxAgeSeconds) {
    EventTimeWindow window = new EventTimeWindow(Duration.ofSeconds(maxAgeSeconds), Duration.ofMinutes(5));
    assertThat(window.contains(window.earliest(NOW), NOW)).isTrue();
    assertThat(window.contains(window.latest(NOW), NOW)).isTrue();
    assertThat(window.contains(window.earliest(NOW).minusNanos(1), NOW)).isFalse();
    assertThat(window.contains(window.latest(NOW).plusNanos(1), NOW)).isFalse();
  }

  @Test
  void defaultsAre400DaysAnd5Minutes() {
    assertThat(EventTimeWindow.defaults()).isEqualTo(new EventTimeWindow(Duration.ofDays(400), Duration.ofMinutes(5)));
  }

  @Test
  void unboundedWindowsAreRefused() {
    assertThatThrownBy(() -> new EventTimeWindow(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventTimeWindow(Duration.ofDays(36_526), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventTimeWindow(Duration.ofDays(1), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventTimeWindow(Duration.ofDays(1), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
