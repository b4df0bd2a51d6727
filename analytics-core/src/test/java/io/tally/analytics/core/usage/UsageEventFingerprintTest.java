package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageEventFingerprintTest {
  @Test
  void isStableAndSensitiveToEveryPayloadChange() {
    UsageEvent event = UsageEventTest.event(10, 100);
    UsageEventFingerprint fp = UsageEventFingerprint.of(event);
    assertThat(fp.hex()).hasSize(64);
    assertThat(UsageEventFingerprint.of(UsageEventTest.event(10, 100))).isEqualTo(fp);
    assertThat(UsageEventFingerprint.of(UsageEventTest.event(11, 100))).isNotEqualTo(fp);
    assertThat(UsageEventFingerprint.of(UsageEventTest.event(10, 101))).isNotEqualTo(fp);
    assertThat(UsageEventFingerprint.of(event.withCostMicros(0))).isNotEqualTo(fp);
    UsageEvent moved = new UsageEvent(event.eventId(), event.orgId(), Instant.parse("2026-10-02T10:00:00Z"),
        event.modelId(), event.actorId(), event.apiKeyId(), event.inputTokens(), event.outputTokens(),
        event.costMicros(), event.latencyMs(), event.status(), event.errorCode(), event.region());
    assertThat(UsageEventFingerprint.of(moved)).isNotEqualTo(fp);
  }
}
