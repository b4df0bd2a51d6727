package io.tally.analytics.ports.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The freshness watermark per organisation: when its rollups last caught up with everything ingested.
 * {@link RollupStore#refreshDirty} advances it; reads go through here. Contract: {@code FreshnessStoreContract}.
 */
public interface FreshnessStore {
  /**
   * @param orgId organisation
   * @return the watermark, empty when the organisation was never rolled up
   */
  Optional<Instant> lastRollupAt(UUID orgId);

  /**
   * Moves the watermark forward; an older instant leaves it unchanged.
   *
   * @param orgId organisation
   * @param at new watermark
   */
  void advance(UUID orgId, Instant at);
}
