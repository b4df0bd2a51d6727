package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.out.FreshnessStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link FreshnessStore} over {@link InMemoryUsageData}, read as the PostgreSQL store reads its tables: an
 * organisation with a dirty hour gets its own watermark; a clean one that has events or a watermark gets the later
 * of its own and the "clean as of" instant.
 */
public final class InMemoryFreshnessStore implements FreshnessStore {
  private final InMemoryUsageData data;

  /** @return a store over fresh, empty data */
  public static InMemoryFreshnessStore create() {
    return new InMemoryUsageData().freshnessStore();
  }

  InMemoryFreshnessStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public Optional<Instant> lastRollupAt(UUID orgId) {
    synchronized (data) {
      Optional<Instant> own = Optional.ofNullable(data.watermarks.get(orgId));
      if (data.hasDirtyHour(orgId) || (own.isEmpty() && !data.knownOrgs.contains(orgId))) {
        return own;
      }
      return later(own, data.cleanAsOf);
    }
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.filter(x -> x.isAfter(a.get())).or(() -> a);
  }

  @Override
  public void advance(UUID orgId, Instant at) {
    synchronized (data) {
      data.watermarks.merge(orgId, at, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  @Override
  public void advanceClean(Set<UUID> refreshed, Instant at) {
    synchronized (data) {
      for (UUID org : refreshed) {
        if (!data.hasDirtyHour(org)) {
          advance(org, at);
        }
      }
      data.cleanAsOf = later(data.cleanAsOf, Optional.of(at));
    }
  }
}
