package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageEventTest {
  static UsageEvent event(long in, long latency) {
    return new UsageEvent("e-1", UUID.fromString("00000000-0000-0000-0000-000000000001"),
        Instant.parse("2026-10-01T10:00:00Z"), "m-1", Optional.empty(), Optional.empty(), in, 5,
        Optional.empty(), latency, UsageStatus.SUCCESS, Optional.empty(), Optional.empty());
  }

  @Test
  void constructorRejectsWithAStableCode() {
    assertThatThrownBy(() -> event(-1, 10)).isInstanceOf(InvalidUsageEventException.class)
        .satisfies(e -> assertThat(((InvalidUsageEventException) e).errorCode()).isEqualTo("event.invalid_tokens"));
    assertThatThrownBy(() -> event(1, -10)).isInstanceOf(InvalidUsageEventException.class)
        .satisfies(e -> assertThat(((InvalidUsageEventException) e).errorCode()).isEqualTo("event.invalid_latency"));
  }

  @Test
  void withCostMicrosReturnsAPricedCopy() {
    UsageEvent event = event(10, 10);
    assertThat(event.costMicros()).isEmpty();
    assertThat(event.withCostMicros(42).costMicros()).contains(42L);
    assertThat(event.withCostMicros(42).eventId()).isEqualTo("e-1");
    assertThatThrownBy(() -> event.withCostMicros(-1)).isInstanceOf(InvalidUsageEventException.class);
  }

  @Test
  void theBuilderTakesTheRequiredFieldsFirstAndTheOptionalOnesByName() {
    UUID org = UUID.fromString("00000000-0000-0000-0000-000000000001");
    Instant at = Instant.parse("2026-11-03T10:15:30Z");
    UsageEvent plain = UsageEvent.builder("req-1", org, at, "llama-3-70b").build();
    assertThat(plain).isEqualTo(new UsageEvent("req-1", org, at, "llama-3-70b", Optional.empty(), Optional.empty(),
        0, 0, Optional.empty(), 0, UsageStatus.SUCCESS, Optional.empty(), Optional.empty()));
    UsageEvent full = UsageEvent.builder("req-2", org, at, "llama-3-70b").tokens(812, 230).latencyMs(912)
        .costMicros(1_840).error("upstream_timeout").actorId("svc").apiKeyId("key_12").region("us-east").build();
    assertThat(full).isEqualTo(new UsageEvent("req-2", org, at, "llama-3-70b", Optional.of("svc"),
        Optional.of("key_12"), 812, 230, Optional.of(1_840L), 912, UsageStatus.ERROR, Optional.of("upstream_timeout"),
        Optional.of("us-east")));
    assertThatThrownBy(() -> UsageEvent.builder("req-3", org, at, "llama-3-70b").tokens(-1, 0).build())
        .isInstanceOf(InvalidUsageEventException.class);
  }
}
