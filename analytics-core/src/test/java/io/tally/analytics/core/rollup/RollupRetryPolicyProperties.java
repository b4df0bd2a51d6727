package io.tally.analytics.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RollupRetryPolicyProperties {
  static final OrgHour HOUR = new OrgHour(UUID.fromString("00000000-0000-0000-0000-00000000000a"),
      Instant.parse("2026-12-06T10:00:00Z"));
  static final Instant NOW = Instant.parse("2026-12-06T10:30:00Z");

  @Property
  void delaysDoubleFromTheFirstAndNeverExceedTheMaximum(@ForAll @LongRange(min = 1, max = 3_600) long first,
      @ForAll @LongRange(min = 0, max = 86_400) long extra, @ForAll @IntRange(min = 1, max = 200) int attempts) {
    RollupRetryPolicy policy = new RollupRetryPolicy(Duration.ofSeconds(first), Duration.ofSeconds(first + extra));
    Duration delay = policy.delayAfter(attempts);
    assertThat(delay).isBetween(policy.firstDelay(), policy.maxDelay());
    assertThat(policy.delayAfter(attempts + 1)).isGreaterThanOrEqualTo(delay);
    Duration doubled = delay.multipliedBy(2);
    assertThat(policy.delayAfter(attempts + 1)).isEqualTo(doubled.compareTo(policy.maxDelay()) > 0
        ? policy.maxDelay() : doubled);
  }

  @Property
  void repeatedFailuresCountUpKeepTheFirstFailureAndScheduleAfterTheLast(
      @ForAll @IntRange(min = 1, max = 40) int failures) {
    RollupRetryPolicy policy = RollupRetryPolicy.DEFAULT;
    QuarantinedHour entry = policy.firstFailure(HOUR, "first", NOW);
    Instant at = NOW;
    for (int i = 2; i <= failures; i++) {
      at = entry.nextAttemptAt();
      entry = policy.failedAgain(entry, "again " + i, at);
    }
    assertThat(entry.attempts()).isEqualTo(failures);
    assertThat(entry.firstFailedAt()).isEqualTo(NOW);
    assertThat(entry.lastFailedAt()).isEqualTo(at);
    assertThat(entry.nextAttemptAt()).isEqualTo(at.plus(policy.delayAfter(failures)));
    assertThat(entry.isDue(entry.nextAttemptAt())).isTrue();
    assertThat(entry.isDue(entry.nextAttemptAt().minusNanos(1))).isFalse();
  }

  @Test
  void defaultsAre30SecondsDoublingTo1Hour() {
    RollupRetryPolicy policy = RollupRetryPolicy.DEFAULT;
    assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delayAfter(8)).isEqualTo(Duration.ofSeconds(3_600));
    assertThat(policy.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> policy.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anHourMustStartAUtcHour() {
    assertThatThrownBy(() -> new OrgHour(HOUR.orgId(), Instant.parse("2026-12-06T10:00:01Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OrgHour.of(HOUR.orgId(), Instant.parse("2026-12-06T10:59:59Z"))).isEqualTo(HOUR);
  }
}
