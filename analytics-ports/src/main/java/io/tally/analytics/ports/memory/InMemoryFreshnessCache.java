package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.out.FreshnessCache;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link FreshnessCache} in a map without expiry; {@link #clear()} simulates expiry in tests. */
public final class InMemoryFreshnessCache implements FreshnessCache {
  private final Map<UUID, Instant> entries = new HashMap<>();

  @Override
  public synchronized Optional<Instant> get(UUID orgId) {
    return Optional.ofNullable(entries.get(orgId));
  }

  @Override
  public synchronized void put(UUID orgId, Instant lastRollupAt) {
    entries.put(orgId, lastRollupAt);
  }

  /** Drops every entry. */
  public synchronized void clear() {
    entries.clear();
  }
}
