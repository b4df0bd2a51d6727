package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.ports.out.FreshnessCache;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Counts the freshness cache's answers as {@code analytics_freshness_cache_hits_total} and
 * {@code analytics_freshness_cache_misses_total}, whichever cache is wired (Redis or in-process). A Redis failure
 * is a miss here too, as it is for the reader.
 */
final class CountingFreshnessCache implements FreshnessCache {
  private final FreshnessCache delegate;
  private final Counter hits;
  private final Counter misses;

  CountingFreshnessCache(FreshnessCache delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.hits = Counter.builder("analytics_freshness_cache_hits")
        .description("Freshness reads answered from the cache").register(registry);
    this.misses = Counter.builder("analytics_freshness_cache_misses")
        .description("Freshness reads that went to the database").register(registry);
  }

  @Override
  public Optional<Instant> get(UUID orgId) {
    Optional<Instant> cached = delegate.get(orgId);
    (cached.isPresent() ? hits : misses).increment();
    return cached;
  }

  @Override
  public void put(UUID orgId, Instant lastRollupAt) {
    delegate.put(orgId, lastRollupAt);
  }
}
