package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageEventFingerprintTest {
  @Test
  void isPinnedBecauseStoresKeepIt() {
    // Stored fingerprints must stay comparable across releases; this value was also computed outside Java
    // (Python hashlib over the documented canonical form).
    UsageEvent appendix = new UsageEvent("req-7f3a", UUID.fromString("00000000-0000-0000-0000-000000000001"),
        Instant.parse("2025-11-03T10:15:30.123Z"), "llama-3-70b", Optional.empty(), Optional.of("key_12"), 812, 230,
        Optional.of(1840L), 912, UsageStatus.ERROR, Optional.of("upstream_timeout"), Optional.of("us-east"));
    assertThat(UsageEventFingerprint.of(appendix).hex())
        .isEqualTo("3abab386d9f5c573e5383deec99c37dc59d1f2fc0f0e25639f36d67504f52cf9");
  }

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
