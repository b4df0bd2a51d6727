package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** With nothing listening on the port, the cache misses, counts, warns once and never leaks the password. */
class RedisFreshnessCacheDegradeIT {
  private static final String PASSWORD = "s3cret-do-not-log";

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RedisFreshnessCache.class);
  private RedisConnection redis;
  private RedisFreshnessCache cache;

  @BeforeEach
  void pointAtAClosedPort() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = RedisConnection.open("redis://:" + PASSWORD + "@127.0.0.1:" + port + "/0",
        Duration.ofMillis(500), Duration.ofMillis(500));
    cache = new RedisFreshnessCache(redis, LocalRedis.uniquePrefix(), Duration.ofMinutes(5));
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void close() {
    logger.detachAppender(logs);
    redis.close();
  }

  @Test
  void readsMissAndWritesAreDroppedWithEachErrorCounted() {
    assertThat(cache.get(UsageEvents.ORG_A)).isEmpty();
    cache.put(UsageEvents.ORG_A, Instant.parse("2026-10-01T00:00:00Z"));
    assertThat(cache.get(UsageEvents.ORG_A)).isEmpty();
    assertThat(cache.errors()).isEqualTo(3);
    assertThat(cache.hits()).isZero();
    assertThat(cache.misses()).isZero();
  }

  @Test
  void warnsOncePerIntervalNamingTheEndpointButNotThePassword() {
    for (int i = 0; i < 20; i++) {
      cache.get(UsageEvents.ORG_A);
    }
    assertThat(cache.errors()).isEqualTo(20);
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage())
            .contains(redis.endpoint())
            .contains("served as a miss"));
    assertThat(logs.list).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).doesNotContain(PASSWORD);
      if (e.getThrowableProxy() != null) {
        assertThat(e.getThrowableProxy().getMessage()).doesNotContain(PASSWORD);
      }
    });
  }

  @Test
  void theReadinessProbeFailsWithAStableCodeAndNoPassword() {
    assertThatThrownBy(redis::ping)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageNotContaining(PASSWORD)
        .satisfies(e -> assertThat(((RedisUnavailableException) e).errorCode()).isEqualTo("redis.unavailable"));
    assertThat(redis.endpoint()).doesNotContain(PASSWORD);
  }
}
