package io.tally.analytics.ports.service;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Values read from a store, kept for at most {@code maxAge} and dropped all at once by {@link #invalidate}. Bounded:
 * at most {@code maxEntries} keys, least recently read out first. A value read while an invalidation happens is
 * not kept (it may predate the change), so after {@link #invalidate} returns no earlier value is served.
 *
 * @param <K> key, with value equality
 * @param <V> immutable value
 */
public final class RecentCopies<K, V> {
  private record Copy<V>(V value, Instant readAt) {}

  private final Duration maxAge;
  private final TimeSource time;
  private final Map<K, Copy<V>> copies;
  private long invalidations;

  /**
   * @param maxAge how old a copy may be when served; {@link Duration#ZERO} keeps nothing
   * @param maxEntries most keys kept, {@code > 0}
   * @param time clock
   */
  public RecentCopies(Duration maxAge, int maxEntries, TimeSource time) {
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.time = Objects.requireNonNull(time, "time");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0");
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be > 0");
    }
    this.copies = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Copy<V>> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * @param key what is read
   * @param read reads it from the store when no copy is recent enough
   * @return the copy or the value just read
   */
  public V get(K key, Supplier<V> read) {
    Instant now = time.now();
    long invalidationsBefore;
    synchronized (copies) {
      Copy<V> copy = copies.get(key);
      if (copy != null && !now.isBefore(copy.readAt()) && now.isBefore(copy.readAt().plus(maxAge))) {
        return copy.value();
      }
      invalidationsBefore = invalidations;
    }
    V value = Objects.requireNonNull(read.get(), "read value");
    synchronized (copies) {
      if (invalidations == invalidationsBefore && !maxAge.isZero()) {
        copies.put(key, new Copy<>(value, now));
      }
    }
    return value;
  }

  /** Drops every copy, and any value being read meanwhile. */
  public void invalidate() {
    synchronized (copies) {
      invalidations++;
      copies.clear();
    }
  }
}
