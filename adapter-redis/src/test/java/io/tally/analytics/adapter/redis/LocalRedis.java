package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** The machine's Redis for integration tests; under CI=true an unreachable server fails the test, never skips it. */
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
    String msg = "Redis unreachable (run scripts/services): " + last.getMessage();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(msg, last);
    }
    Assumptions.abort(msg);
    throw new AssertionError(msg);
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
