package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.redis.RedisConnection;
import io.tally.analytics.adapter.redis.RedisFreshnessCache;
import io.tally.analytics.ports.out.FreshnessCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: {@code FRESHNESS_CACHE_TTL=0} with {@code REDIS_URL} set stopped the server at start (the Redis cache
 * refuses a TTL under 1 ms). A zero TTL now turns the cache off whatever the backend, and the server starts.
 */
class FreshnessCacheOffWithRedisIT {
  static final String REDIS = "redis://127.0.0.1:6379";
  static final String ORG = "00000000-0000-0000-0000-0000000011b1";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of("REDIS_URL", REDIS, "FRESHNESS_CACHE_TTL", "0s"));

  @Test
  void theServerStartsAndAnswersWithEveryReadGoingToTheStore() throws InterruptedException {
    // readyz may say 503 until the first rollup has run; the start itself is what used to fail.
    var ready = SERVER.tally().get("/analytics/v1/status/readyz", Map.of());
    for (int i = 0; i < 60 && ready.statusCode() != 200; i++) {
      Thread.sleep(500);
      ready = SERVER.tally().get("/analytics/v1/status/readyz", Map.of());
    }
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("redis");
    assertThat(SERVER.tally().get("/analytics/v1/orgs/" + ORG + "/usage?start=2026-10-01T00:00:00Z"
        + "&end=2026-10-02T00:00:00Z", actor("alice", "viewer", ORG)).statusCode()).isEqualTo(200);
  }

  @Test
  void aZeroTtlCachesNothingAndAnotherTtlUsesRedis() {
    UUID org = UUID.fromString(ORG);
    try (RedisConnection redis = RedisConnection.open(REDIS)) {
      FreshnessCache off = TallyServices.freshnessCache(Duration.ZERO, Optional.of(redis), Instant::now);
      off.put(org, Instant.EPOCH);
      assertThat(off.get(org)).isEmpty();
      assertThat(TallyServices.freshnessCache(Duration.ofSeconds(5), Optional.of(redis), Instant::now))
          .isInstanceOf(RedisFreshnessCache.class);
    }
  }
}
