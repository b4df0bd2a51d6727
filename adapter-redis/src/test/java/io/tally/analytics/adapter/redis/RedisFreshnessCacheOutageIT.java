package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.testdata.UsageEvents;
import io.tally.analytics.ports.testing.CuttableProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Redis lost while connected: reads miss at once and count errors; when it returns, reads hit again. */
class RedisFreshnessCacheOutageIT {
  private static final Instant AT = Instant.parse("2026-10-01T00:00:00Z");

  @Test
  void anOutageIsAMissAndTheCacheRecoversByItself() throws Exception {
    try (RedisConnection local = LocalRedis.require()) {
      local.ping();
    }
    String prefix = LocalRedis.uniquePrefix();
    try (CuttableProxy proxy = new CuttableProxy(6379);
        RedisConnection redis = RedisConnection.open("redis://127.0.0.1:" + proxy.port() + "/0")) {
      RedisFreshnessCache cache = new RedisFreshnessCache(redis, prefix, Duration.ofMinutes(5));
      try {
        cache.put(UsageEvents.ORG_A, AT);
        assertThat(cache.get(UsageEvents.ORG_A)).contains(AT);

        proxy.cut();
        assertThat(cache.get(UsageEvents.ORG_A)).isEmpty();
        cache.put(UsageEvents.ORG_A, AT.plusSeconds(1));
        assertThat(cache.errors()).isGreaterThanOrEqualTo(2);

        proxy.restore();
        assertThat(eventually(Duration.ofSeconds(60), () -> cache.get(UsageEvents.ORG_A).isPresent()))
            .as("reads hit again after Redis returns").isTrue();
        assertThat(cache.get(UsageEvents.ORG_A)).contains(AT);
        redis.ping();
      } finally {
        try (RedisConnection cleanup = LocalRedis.require()) {
          LocalRedis.deleteKeys(cleanup, prefix);
        }
      }
    }
  }

  // A generous bound: the test asserts recovery, not its speed (Lettuce's reconnect delay is capped at 5 s).
  private static boolean eventually(Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }
}
