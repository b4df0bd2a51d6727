package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stored hourly and daily rollups, refreshed incrementally from the dirty hourly buckets that
 * {@link UsageEventStore#append} marks. Contract: {@code RollupStoreContract}.
 *
 * <p>A refresh runs as one transaction and is safe to run from several instances at once: each claims
 * disjoint dirty buckets (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}), reads the price book after the claim
 * (PostgreSQL takes the read side of the lock {@link PriceBookStore} writes take before it claims), recomputes
 * each claimed hour from all of its raw events with {@link RollupComputation#fromEvents} (or from the sums,
 * costs and latency counts the store aggregated, with {@link RollupComputation#fromTotals}): an event's own cost
 * wins, the others are priced by the book, and those without a price count as {@code unpricedRequests};
 * re-derives the UTC day of every touched hour from the stored hours with {@link RollupComputation#combine},
 * clears the claims, and advances the freshness watermark (see {@link FreshnessStore}) to {@code now} for every
 * organisation that has stored events and no dirty bucket left — also when nothing was dirty, so an idle system
 * keeps reporting fresh data. A bucket re-dirtied while it was being refreshed stays dirty. An hour whose events
 * are all gone is deleted, and so is a day without hours.
 *
 * <p>Failure boundary (issue 8): a refresh that cannot compute some hour from its stored data throws
 * {@link RollupHourException} and writes nothing; the rollup use case then refreshes the pending hours one by one
 * ({@link #pendingHours}, {@link #refreshHours}) and quarantines the failing ones ({@link RollupQuarantine}).
 * {@link #refreshDirty} passes quarantined hours over, so one bad hour never stops the others; they stay dirty
 * (their organisation's watermark does not move) until a retry rolls them up and releases them.
 */
public interface RollupStore {
  /**
   * @param maxBuckets most hourly buckets to claim in this call, {@code > 0}
   * @param computation the domain math to apply
   * @param now the refresh time, written as the watermark of clean organisations
   * @return what was done and how much is left
   */
  RefreshResult refreshDirty(int maxBuckets, RollupComputation computation, Instant now);

  /**
   * @param limit most hours, {@code > 0}
   * @return the dirty hours that are not quarantined, in the order {@link #refreshDirty} claims them
   */
  List<OrgHour> pendingHours(int limit);

  /**
   * Refreshes exactly these hours, as {@link #refreshDirty} would (rollups, days, watermarks), in one transaction:
   * the ones still dirty are recomputed and leave quarantine; the others are skipped. Quarantined hours are
   * refreshed too: this is how a retry runs.
   *
   * @param hours the hours, at least one
   * @param computation the domain math to apply
   * @param now the refresh time
   * @return what was done
   * @throws RollupHourException when one of the hours cannot be computed from its data; nothing is written
   */
  RefreshResult refreshHours(List<OrgHour> hours, RollupComputation computation, Instant now);

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

  /** @return hourly buckets waiting for a refresh */
  long dirtyBucketCount();
}
