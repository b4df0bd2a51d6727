package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamUrlTest {
  private static String of(String url, int port) {
    return StreamUrl.of(new ServiceUrl(url), port).map(ServiceUrl::value).orElse("(none)");
  }

  @Test
  void anAmqpUrlKeepsCredentialsHostAndVhostAndTakesTheStreamPort() {
    assertThat(of("amqp://user:p%40ss@rabbit.internal:5672/prod", 5552))
        .isEqualTo("rabbitmq-stream://user:p%40ss@rabbit.internal:5552/prod");
    assertThat(of("amqps://u:p@rabbit:5671/%2f", 5551)).isEqualTo("rabbitmq-stream+tls://u:p@rabbit:5551/%2f");
  }

  @Test
  void noPathIsTheDefaultVirtualHost() {
    assertThat(of("amqp://guest:guest@127.0.0.1:5672", 5552)).isEqualTo("rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f");
    assertThat(of("amqp://127.0.0.1", 6000)).isEqualTo("rabbitmq-stream://127.0.0.1:6000/%2f");
  }

  @Test
  void aStreamUrlIsUsedAsItIsAndOtherSchemesAreNotStreams() {
    assertThat(of("rabbitmq-stream://g:g@h:5555/v", 5552)).isEqualTo("rabbitmq-stream://g:g@h:5555/v");
    assertThat(of("redis://h:6379", 5552)).isEqualTo("(none)");
  }

  @Test
  void theServerConsumesWhenRabbitmqUrlIsTheOriginalAmqpForm() {
    TallyConfig config = TallyConfig.fromEnvironment(java.util.Map.of(
        "RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2f", "RABBITMQ_STREAM_PORT", "5553"));
    assertThat(StreamIngestion.configured(config)).isTrue();
    assertThat(StreamIngestion.settings(config).build().uri()).isEqualTo("rabbitmq-stream://guest:guest@127.0.0.1:5553/%2f");
  }
}
