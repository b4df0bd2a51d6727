package io.tally.analytics.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import io.tally.analytics.ports.out.FreshnessCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FreshnessCache} in Redis: one string key per organisation, {@code <prefix><orgId>}, holding the
 * watermark as {@code <epochSecond>.<nanos>} with a TTL ({@code FRESHNESS_CACHE_TTL}).
 *
 * <p>A put never moves a cached watermark backwards: a Lua script compares and sets atomically, so two
 * writers racing (a rollup and a reader filling a miss with what it just read) leave the newer value. A put
 * of an equal or newer watermark restarts the TTL; an older one changes nothing.
 *
 * <p>Redis being down, slow or holding a value it cannot read is a miss, never a failure of the read path:
 * the error is counted ({@link #errors()}) and logged at WARN at most once per {@link #WARNING_INTERVAL}.
 */
public final class RedisFreshnessCache implements FreshnessCache {
  /** Key prefix unless configured: keys read {@code tally:freshness:<orgId>}. */
  public static final String DEFAULT_KEY_PREFIX = "tally:freshness:";
  /** At most one WARN line per this interval while Redis keeps failing. */
  public static final Duration WARNING_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(RedisFreshnessCache.class);

  // KEYS[1] key; ARGV[1] watermark "<sec>.<nanos>"; ARGV[2] TTL in ms. An unreadable current value is replaced.
  private static final String PUT_IF_NOT_OLDER = """
      local current = redis.call('GET', KEYS[1])
      if current then
        local cs, cn = string.match(current, '^(-?%d+)%.(%d+)$')
        local ns, nn = string.match(ARGV[1], '^(-?%d+)%.(%d+)$')
        if cs then
          cs, cn, ns, nn = tonumber(cs), tonumber(cn), tonumber(ns), tonumber(nn)
          if cs > ns or (cs == ns and cn > nn) then
            return 0
          end
        end
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """;

  private final RedisConnection redis;
  private final String keyPrefix;
  private final long ttlMillis;
  private final WarningThrottle throttle = new WarningThrottle(WARNING_INTERVAL, System::nanoTime);
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /**
   * @param redis connection (shared, owned by the caller)
   * @param keyPrefix prepended to the org id, for example {@link #DEFAULT_KEY_PREFIX}; not blank
   * @param ttl how long an entry lives ({@code FRESHNESS_CACHE_TTL}); at least 1 ms
   */
  public RedisFreshnessCache(RedisConnection redis, String keyPrefix, Duration ttl) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(ttl, "ttl");
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException("keyPrefix must not be blank");
    }
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    this.ttlMillis = ttl.toMillis();
  }

  @Override
  public Optional<Instant> get(UUID orgId) {
    String key = key(orgId);
    String text;
    try {
      text = redis.commands().get(key);
    } catch (RuntimeException e) {
      failed("GET", e);
      return Optional.empty();
    }
    if (text == null) {
      misses.incrementAndGet();
      return Optional.empty();
    }
    Optional<Instant> at = WatermarkEncoding.decode(text);
    if (at.isEmpty()) {
      failed("GET", new IllegalStateException("unreadable watermark under " + key));
      return Optional.empty();
    }
    hits.incrementAndGet();
    return at;
  }

  @Override
  public void put(UUID orgId, Instant lastRollupAt) {
    Objects.requireNonNull(lastRollupAt, "lastRollupAt");
    String[] keys = {key(orgId)};
    try {
      redis.commands().<Long>eval(PUT_IF_NOT_OLDER, ScriptOutputType.INTEGER, keys,
          WatermarkEncoding.encode(lastRollupAt), Long.toString(ttlMillis));
    } catch (RuntimeException e) {
      failed("PUT", e);
    }
  }

  /** @return reads answered from Redis (feeds {@code analytics_freshness_cache_hits_total}) */
  public long hits() {
    return hits.get();
  }

  /** @return reads Redis answered with no entry */
  public long misses() {
    return misses.get();
  }

  /** @return reads and writes that failed (Redis down, timed out, unreadable value); each read was a miss */
  public long errors() {
    return errors.get();
  }

  String key(UUID orgId) {
    return keyPrefix + Objects.requireNonNull(orgId, "orgId");
  }

  private void failed(String operation, RuntimeException e) {
    errors.incrementAndGet();
    long held = throttle.admit();
    if (held >= 0) {
      // The message names host:port/db only: neither Lettuce's messages nor ours carry the password.
      LOG.warn("Freshness cache {} failed at {}, served as a miss ({} similar warnings suppressed): {}",
          operation, redis.endpoint(), held, e.toString());
    }
    LOG.debug("Freshness cache {} failure detail", operation, e);
  }
}
