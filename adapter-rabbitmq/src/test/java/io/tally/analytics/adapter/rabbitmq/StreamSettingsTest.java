package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {

  @Test
  void defaultsMatchTheDesign() {
    StreamSettings s = StreamSettings.builder().build();
    assertThat(s.uri()).isEqualTo("rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f");
    assertThat(s.stream()).isEqualTo("analytics.usage.v1");
    assertThat(s.maxBufferedMessages()).isGreaterThanOrEqualTo(s.batchSize());
  }

  @Test
  void readsTheEnvironment() {
    StreamSettings s = StreamSettings.fromEnvironment(Map.of(
        "RABBITMQ_URL", "rabbitmq-stream://u:p@broker:5553/tally",
        "RABBITMQ_STREAM", "usage.test",
        "RABBITMQ_CONSUMER", "ingest-2",
        "RABBITMQ_BATCH_SIZE", "250",
        "RABBITMQ_BATCH_MAX_WAIT_MS", "75",
        "RABBITMQ_RETENTION_MAX_AGE_HOURS", "48"));
    assertThat(s.uri()).isEqualTo("rabbitmq-stream://u:p@broker:5553/tally");
    assertThat(s.stream()).isEqualTo("usage.test");
    assertThat(s.consumerName()).isEqualTo("ingest-2");
    assertThat(s.batchSize()).isEqualTo(250);
    assertThat(s.maxWait()).isEqualTo(Duration.ofMillis(75));
    assertThat(s.maxAge()).isEqualTo(Duration.ofHours(48));
  }

  @Test
  void neverPrintsThePassword() {
    StreamSettings s = StreamSettings.builder().uri("rabbitmq-stream://svc:s3cret@broker:5552/%2f").build();
    assertThat(s.toString()).doesNotContain("s3cret").contains("svc:***@broker");
    assertThat(s.redactedUri()).isEqualTo("rabbitmq-stream://svc:***@broker:5552/%2f");
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThatThrownBy(() -> StreamSettings.builder().uri("amqp://guest:guest@127.0.0.1:5672/").build())
        .hasMessageContaining("rabbitmq-stream");
    assertThatThrownBy(() -> StreamSettings.builder().batchSize(0).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamSettings.builder().batchSize(50_001).maxBufferedMessages(60_000).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50000");
    assertThatThrownBy(() -> StreamSettings.builder().batchSize(500).maxBufferedMessages(100).build())
        .hasMessageContaining("maxBufferedMessages");
    assertThatThrownBy(() -> StreamSettings.builder().maxWait(Duration.ZERO).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StreamSettings.builder().stream(" ").build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void endpointComesFromTheUri() {
    assertThat(BrokerEndpoint.of("rabbitmq-stream://guest:guest@10.0.0.7:5553/%2f")).isEqualTo(new BrokerEndpoint("10.0.0.7", 5553));
    assertThat(BrokerEndpoint.of("rabbitmq-stream://guest:guest@broker/%2f")).isEqualTo(new BrokerEndpoint("broker", 5552));
  }
}
