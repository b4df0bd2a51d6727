package io.tally.analytics.adapter.localfs;

import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process freshness cache of the embedded default (no Redis): watermarks remembered for a TTL. It only
 * saves database reads; losing it loses nothing. Passes {@code FreshnessCacheContract}.
 */
public final class LocalFreshnessCache implements FreshnessCache {
  private static final int MAX_ENTRIES = 100_000;

  private record Entry(Instant lastRollupAt, Instant expiresAt) {}

  private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final TimeSource time;

  /**
   * @param ttl how long a watermark is remembered ({@code FRESHNESS_CACHE_TTL}); zero remembers nothing
   * @param time the clock the TTL is measured on
   */
  public LocalFreshnessCache(Duration ttl, TimeSource time) {
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public Optional<Instant> get(UUID orgId) {
    Entry e = entries.get(orgId);
    if (e == null) {
      return Optional.empty();
    }
    if (!time.now().isBefore(e.expiresAt())) {
      entries.remove(orgId, e);
      return Optional.empty();
    }
    return Optional.of(e.lastRollupAt());
  }

  @Override
  public void put(UUID orgId, Instant lastRollupAt) {
    if (ttl.isZero()) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      // A bound instead of an eviction policy: clearing costs one database read per org.
      entries.clear();
    }
    entries.put(orgId, new Entry(lastRollupAt, time.now().plus(ttl)));
  }
}
