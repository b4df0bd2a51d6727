package io.tally.analytics.ports.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A short-lived cache of {@link FreshnessStore} watermarks (Redis in production) so that every read does not
 * hit the database. Entries expire after a TTL the implementation is configured with; a miss is never an error.
 */
public interface FreshnessCache {
  /**
   * @param orgId organisation
   * @return the cached watermark, empty on a miss
   */
  Optional<Instant> get(UUID orgId);

  /**
   * @param orgId organisation
   * @param lastRollupAt watermark to cache
   */
  void put(UUID orgId, Instant lastRollupAt);

  /** @return a cache that never holds anything (embedded use without Redis) */
  static FreshnessCache none() {
    return new FreshnessCache() {
      @Override
      public Optional<Instant> get(UUID orgId) {
        return Optional.empty();
      }

      @Override
      public void put(UUID orgId, Instant lastRollupAt) {
        // Nothing to remember: every read goes to the store.
      }
    };
  }
}
