package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stored hourly and daily rollups and the dirty hours that {@link UsageEventStore#append} (and a price change)
 * mark. Contract: {@code RollupStoreContract}.
 *
 * <p>The store only stores: the refresh algorithm (claim dirty hours, recompute them, re-derive their days,
 * advance the watermarks) is written once, in {@code ports.service.RollupRefresher}, over
 * {@link #inTransaction}. The store supplies the transaction and the storage steps ({@link RollupTransaction}),
 * and keeps it safe to refresh from several threads or instances at once (PostgreSQL: {@code FOR UPDATE SKIP
 * LOCKED} claims and a lock per touched day).
 */
public interface RollupStore {
  /**
   * Runs {@code work} as one transaction: everything it wrote commits when it returns, nothing when it throws.
   * A failure of the data of the hours the work covered (a sum out of range, a corrupt row, a failing
   * computation) surfaces as {@link RollupHourException}; a failure of the store itself (unreachable) as the
   * store's own fault.
   *
   * @param work the refresh step
   * @param <T> what the work returns
   * @return what the work returned
   */
  <T> T inTransaction(Function<RollupTransaction, T> work);

  /**
   * @param limit most hours, {@code > 0}
   * @return the dirty hours that are not quarantined, in the order {@link RollupTransaction#claimDirty} claims them
   */
  List<OrgHour> pendingHours(int limit);

  /**
   * @param orgId organisation
   * @param width {@link BucketWidth#HOUR} or {@link BucketWidth#DAY}; other widths throw
   *     {@code rollup.unsupported_width}
   * @param start inclusive bound on bucketStart
   * @param end exclusive bound on bucketStart
   * @param modelId optional model filter
   * @return rows ordered by bucket start, then model
   */
  List<RollupRow> query(UUID orgId, BucketWidth width, Instant start, Instant end, Optional<String> modelId);

  /** @return dirty (org, hour)s waiting for a refresh, quarantined ones included */
  long dirtyBucketCount();
}
