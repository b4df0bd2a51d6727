package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointDescriptionTest {
  @Test
  void describesHostPortAndDatabaseWithoutCredentials() {
    EndpointDescription e = EndpointDescription.parse("redis://user:hunter2@cache.internal:6380/3");
    assertThat(e.description()).isEqualTo("redis://cache.internal:6380/3");
    assertThat(e.toString()).doesNotContain("hunter2");
    assertThat(e.uri().getDatabase()).isEqualTo(3);
  }

  @Test
  void defaultsToPort6379AndDatabase0() {
    assertThat(EndpointDescription.parse("redis://127.0.0.1").description()).isEqualTo("redis://127.0.0.1:6379/0");
    assertThat(EndpointDescription.parse("rediss://cache:6390/1").uri().isSsl()).isTrue();
  }

  @Test
  void rejectsOtherSchemesAndMalformedUrlsWithoutEchoingThem() {
    assertThatThrownBy(() -> EndpointDescription.parse("http://:hunter2@host:6379"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> EndpointDescription.parse("127.0.0.1:6379"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EndpointDescription.parse("redis://:hunter2@host:99999/0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
  }

  @Test
  void timeoutsMustBePositive() {
    assertThatThrownBy(() -> RedisConnection.open("redis://127.0.0.1:6379/0", Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisConnection.open("redis://127.0.0.1:6379/0", Duration.ofSeconds(1),
        Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
