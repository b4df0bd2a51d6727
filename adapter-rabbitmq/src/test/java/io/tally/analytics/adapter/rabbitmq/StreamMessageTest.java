package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamMessageTest {
  private static StreamMessage msg(long offset, String contentType) {
    return new StreamMessage(offset, "{}".getBytes(StandardCharsets.UTF_8), Optional.ofNullable(contentType), 0);
  }

  @Test
  void onlyApplicationJsonCountsAsJson() {
    assertThat(msg(0, "application/json").isJson()).isTrue();
    assertThat(msg(0, "Application/JSON; charset=utf-8").isJson()).isTrue();
    assertThat(msg(0, "text/plain").isJson()).isFalse();
    assertThat(msg(0, "application/jsonx").isJson()).isFalse();
    assertThat(msg(0, null).isJson()).isFalse();
  }

  @Test
  void batchBoundsMustMatchItsMessages() {
    StreamBatch b = new StreamBatch("s", "c", 4, 6, List.of(msg(4, null), msg(5, null), msg(6, null)));
    assertThat(b.size()).isEqualTo(3);
    assertThatThrownBy(() -> new StreamBatch("s", "c", 4, 7, List.of(msg(4, null), msg(6, null))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StreamBatch("s", "c", 0, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void usageEventJsonFollowsTheWireFormatAndLeavesOutAbsentFields() {
    UsageEventMessage e = UsageEventMessage.ok("req-7f3a", "00000000-0000-0000-0000-000000000001",
            Instant.parse("2025-11-03T10:15:30.123Z"), "llama-3-70b", 812, 230, 912)
        .withApiKeyId("key_12").withCostMicros(1840).withError("upstream_timeout").withRegion("us-east");
    assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"eventId\":\"req-7f3a\",\"orgId\":\"00000000-0000-0000-0000-000000000001\","
            + "\"occurredAt\":\"2025-11-03T10:15:30.123Z\",\"modelId\":\"llama-3-70b\",\"apiKeyId\":\"key_12\","
            + "\"inputTokens\":812,\"outputTokens\":230,\"costMicros\":1840,\"latencyMs\":912,"
            + "\"status\":\"error\",\"errorCode\":\"upstream_timeout\",\"region\":\"us-east\"}");
    String minimal = new String(UsageEventMessage.ok("a", "o", Instant.parse("2025-11-03T10:15:30Z"), "m", 1, 2, 3).toJson(),
        StandardCharsets.UTF_8);
    assertThat(minimal).doesNotContain("costMicros", "apiKeyId", "errorCode", "region").contains("\"status\":\"success\"");
  }
}
