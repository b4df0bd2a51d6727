package io.tally.analytics.adapter.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.tally.analytics.ports.testing.RequiredService;
import java.time.Duration;
import java.util.UUID;

/** The machine's Redis for integration tests; an unreachable server is reported by {@link RequiredService}. */
final class LocalRedis {
  static final String URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379/0");

  private LocalRedis() {}

  /** @return an open connection that answered PING (three tries: a loaded 2-core machine can miss one) */
  static RedisConnection require() {
    RedisUnavailableException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisConnection redis = RedisConnection.open(URL, Duration.ofSeconds(5), Duration.ofSeconds(5));
      try {
        redis.ping();
        return redis;
      } catch (RedisUnavailableException e) {
        last = e;
        redis.close();
      }
    }
    throw RequiredService.unreachable("Redis at " + EndpointDescription.parse(URL).description(), last);
  }

  /** @return a key prefix no other test run uses */
  static String uniquePrefix() {
    return "tally:it:" + UUID.randomUUID() + ":freshness:";
  }

  static void deleteKeys(RedisConnection redis, String prefix) {
    RedisCommands<String, String> c = redis.commands();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = c.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
      if (!page.getKeys().isEmpty()) {
        c.del(page.getKeys().toArray(String[]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }
}
