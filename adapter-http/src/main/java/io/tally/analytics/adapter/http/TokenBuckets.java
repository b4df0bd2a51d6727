package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (OWASP API4): each key may burst up to {@code perMinute} requests and regains one every
 * {@code 60 s / perMinute}. Over budget, {@link #acquire} throws {@link RateLimitedException} carrying the wait
 * until the next token. What the keys are is {@link RateLimits}' business.
 */
final class TokenBuckets {
  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();
  // Buckets idle this long are full again, so forgetting them changes nothing; this bounds the map.
  private static final int SWEEP_THRESHOLD = 10_000;

  private final int perMinute;
  private final TimeSource clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perMinute sustained rate and burst size; 0 or less disables limiting
   * @param clock time source
   */
  public TokenBuckets(int perMinute, TimeSource clock) {
    this.perMinute = perMinute;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @return buckets that never limit */
  public static TokenBuckets unlimited() {
    return new TokenBuckets(0, () -> Instant.EPOCH);
  }

  /** @return the sustained rate and burst size; 0 when disabled */
  public int perMinute() {
    return Math.max(0, perMinute);
  }

  /**
   * Takes one token for the key.
   *
   * @param key whose budget to charge
   * @throws RateLimitedException when the key's bucket is empty
   */
  public void acquire(String key) {
    if (perMinute <= 0) {
      return;
    }
    long now = nanos(clock.now());
    if (buckets.size() > SWEEP_THRESHOLD) {
      buckets.values().removeIf(b -> b.isFullAt(now));
    }
    long waitNanos = buckets.computeIfAbsent(key, s -> new Bucket(now)).take(now);
    if (waitNanos > 0) {
      throw new RateLimitedException((waitNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** Tokens are kept in units of 1/NANOS_PER_MINUTE so refill is exact integer arithmetic. */
  private final class Bucket {
    private final long capacity = (long) perMinute * NANOS_PER_MINUTE;
    private long level = capacity;
    private long updatedAt;

    Bucket(long now) {
      this.updatedAt = now;
    }

    synchronized long take(long now) {
      refill(now);
      if (level >= NANOS_PER_MINUTE) {
        level -= NANOS_PER_MINUTE;
        return 0;
      }
      return (NANOS_PER_MINUTE - level + perMinute - 1) / perMinute;
    }

    synchronized boolean isFullAt(long now) {
      refill(now);
      return level == capacity;
    }

    private void refill(long now) {
      long elapsed = Math.max(0, now - updatedAt);
      updatedAt = Math.max(updatedAt, now);
      // A whole minute refills any bucket (capacity / perMinute == one minute); checking first avoids overflow.
      level = elapsed >= NANOS_PER_MINUTE ? capacity : Math.min(capacity, level + elapsed * perMinute);
    }
  }
}
