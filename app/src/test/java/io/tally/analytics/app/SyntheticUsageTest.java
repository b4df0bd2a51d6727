package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.core.usage.ValidationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticUsageTest {
  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

  static SyntheticUsage generator(long seed) {
    return new SyntheticUsage(3, 4, START, Duration.ofDays(7), 0.05, 0.02, seed);
  }

  @Test
  void theSameSeedGivesTheSameEvents() {
    assertThat(generator(7).next(500)).isEqualTo(generator(7).next(500));
    assertThat(generator(7).next(50)).isNotEqualTo(generator(8).next(50));
  }

  @Test
  void countsAddUpAndOnlyTheInvalidShareFailsValidation() {
    SyntheticUsage g = generator(42);
    List<Map<String, String>> events = g.next(5_000);
    assertThat(g.uniqueValid() + g.duplicates() + g.invalid()).isEqualTo(5_000);
    assertThat(g.duplicates()).isBetween(150L, 350L);
    assertThat(g.invalid()).isBetween(50L, 150L);
    UsageEventValidator validator = UsageEventValidator.withDefaults();
    long rejected = events.stream().filter(e -> validator.validate(SyntheticUsage.candidate(e),
        START.plus(Duration.ofDays(8))) instanceof ValidationResult.Invalid).count();
    assertThat(rejected).isEqualTo(g.invalid());
    assertThat(events).allSatisfy(e -> {
      assertThat(Instant.parse(e.get("occurredAt"))).isBetween(START, START.plus(Duration.ofDays(7)));
      assertThat(e.get("orgId")).matches("00000000-0000-0000-0000-00000000000[123]");
    });
  }
}
