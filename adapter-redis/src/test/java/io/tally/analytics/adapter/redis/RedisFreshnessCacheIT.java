package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.contract.FreshnessCacheContract;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The port contract plus monotonic puts, exact round trips and expiry, against the machine's Redis. */
class RedisFreshnessCacheIT extends FreshnessCacheContract {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00.123456789Z");

  private static RedisConnection redis;
  private String prefix;

  @BeforeAll
  static void connect() {
    redis = LocalRedis.require();
  }

  @AfterAll
  static void disconnect() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected FreshnessCache newCache() {
    prefix = LocalRedis.uniquePrefix();
    return new RedisFreshnessCache(redis, prefix, TTL);
  }

  @AfterEach
  void cleanUp() {
    LocalRedis.deleteKeys(redis, prefix);
    assertThat(redis.commands().keys(prefix + "*")).isEmpty();
  }

  private RedisFreshnessCache redisCache() {
    return (RedisFreshnessCache) cache;
  }

  @Test
  void keysArePerOrgUnderThePrefixAndHoldSecondsDotNanosWithTheTtl() {
    cache.put(UsageEvents.ORG_A, T0);
    String key = prefix + UsageEvents.ORG_A;
    assertThat(redis.commands().get(key)).isEqualTo(T0.getEpochSecond() + ".123456789");
    assertThat(redis.commands().pttl(key)).isBetween(1L, TTL.toMillis());
    assertThat(redis.commands().keys(prefix + "*")).containsExactly(key);
  }

  @Test
  void anOlderPutNeverMovesTheWatermarkBackwardsNorRestartsTheTtl() {
    String key = prefix + UsageEvents.ORG_A;
    cache.put(UsageEvents.ORG_A, T0);
    redis.commands().pexpire(key, 60_000);
    cache.put(UsageEvents.ORG_A, T0.minusNanos(1));
    cache.put(UsageEvents.ORG_A, T0.minusSeconds(3600));
    assertThat(cache.get(UsageEvents.ORG_A)).contains(T0);
    assertThat(redis.commands().pttl(key)).isLessThanOrEqualTo(60_000L);
    cache.put(UsageEvents.ORG_A, T0);
    assertThat(redis.commands().pttl(key)).isGreaterThan(60_000L);
    cache.put(UsageEvents.ORG_A, T0.plusNanos(1));
    assertThat(cache.get(UsageEvents.ORG_A)).contains(T0.plusNanos(1));
  }

  @Test
  void anyOrderOfPutsLeavesTheNewest() {
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      UUID org = UUID.randomUUID();
      List<Instant> puts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        puts.add(Instant.ofEpochSecond(1_790_000_000L + random.nextInt(3), random.nextInt(1_000_000_000)));
      }
      puts.forEach(at -> cache.put(org, at));
      assertThat(cache.get(org)).contains(Collections.max(puts));
    }
  }

  @Test
  void concurrentWritersLeaveTheNewest() throws Exception {
    int writers = 8;
    int putsEach = 50;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int offset = w;
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < putsEach; i++) {
            cache.put(UsageEvents.ORG_A, T0.plusMillis((long) i * writers + offset));
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(cache.get(UsageEvents.ORG_A)).contains(T0.plusMillis((long) writers * putsEach - 1));
    assertThat(redisCache().errors()).isZero();
  }

  @Test
  void anUnreadableValueIsAMissCountedAsAnErrorAndAPutReplacesIt() {
    String key = prefix + UsageEvents.ORG_A;
    redis.commands().set(key, "not-a-watermark");
    assertThat(cache.get(UsageEvents.ORG_A)).isEmpty();
    assertThat(redisCache().errors()).isEqualTo(1);
    cache.put(UsageEvents.ORG_A, T0);
    assertThat(cache.get(UsageEvents.ORG_A)).contains(T0);
  }

  @Test
  void hitsAndMissesAreCounted() {
    cache.get(UsageEvents.ORG_A);
    cache.put(UsageEvents.ORG_A, T0);
    cache.get(UsageEvents.ORG_A);
    cache.get(UsageEvents.ORG_A);
    assertThat(redisCache().misses()).isEqualTo(1);
    assertThat(redisCache().hits()).isEqualTo(2);
    assertThat(redisCache().errors()).isZero();
  }

  @Test
  void anEntryExpiresAfterItsTtl() throws InterruptedException {
    RedisFreshnessCache shortLived = new RedisFreshnessCache(redis, prefix, Duration.ofMillis(200));
    shortLived.put(UsageEvents.ORG_A, T0);
    // -2 (already gone) is fine after a long pause; -1 would mean the entry was written without an expiry.
    assertThat(redis.commands().pttl(prefix + UsageEvents.ORG_A)).isLessThanOrEqualTo(200L).isNotEqualTo(-1L);
    // Poll with a generous bound: the assertion is that it expires, not how fast.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (shortLived.get(UsageEvents.ORG_A).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(shortLived.get(UsageEvents.ORG_A)).isEmpty();
    assertThat(redis.commands().exists(prefix + UsageEvents.ORG_A)).isZero();
  }

  @Test
  void pingAnswers() {
    redis.ping();
    assertThat(redis.endpoint()).matches("redis://[^@]+:\\d+/\\d+");
  }
}
