package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.out.FreshnessStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link FreshnessStore} over {@link InMemoryUsageData}. */
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
      return Optional.ofNullable(data.watermarks.get(orgId));
    }
  }

  @Override
  public void advance(UUID orgId, Instant at) {
    synchronized (data) {
      data.watermarks.merge(orgId, at, (a, b) -> a.isAfter(b) ? a : b);
    }
  }
}
