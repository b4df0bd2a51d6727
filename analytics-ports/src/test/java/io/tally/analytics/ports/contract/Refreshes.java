package io.tally.analytics.ports.contract;

import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.service.RollupRefresher;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Refresh steps for the contracts whose fixture has no freshness store: the watermarks are not what they test. */
public final class Refreshes {
  private static final FreshnessStore UNWATCHED = new FreshnessStore() {
    @Override
    public Optional<Instant> lastRollupAt(UUID orgId) {
      return Optional.empty();
    }

    @Override
    public void advance(UUID orgId, Instant at) {}

    @Override
    public void advanceClean(Set<UUID> refreshed, Instant at) {}
  };

  private Refreshes() {}

  /** One {@link RollupRefresher#refreshDirty} step. */
  public static RefreshResult dirty(RollupStore rollups, int maxHours, Instant now) {
    return new RollupRefresher(rollups, UNWATCHED, RollupComputation.standard()).refreshDirty(maxHours, now);
  }
}
