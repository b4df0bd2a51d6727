package io.tally.analytics.ports.out;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * One refresh step's view of a {@link RollupStore}, open for the length of {@link RollupStore#inTransaction}:
 * the storage steps of the refresh algorithm, which itself lives in {@code ports.service.RollupRefresher}. What
 * it writes becomes visible to others, all at once, only when the work returns; reads inside see its own writes.
 */
public interface RollupTransaction {
  /**
   * Claims up to {@code maxHours} dirty (org, hour)s that are not quarantined ({@link RollupQuarantine}), in
   * (org, hour) order. Concurrent transactions claim disjoint hours; a claimed hour that an append marks again
   * while this transaction runs stays dirty after it commits. The store takes whatever locks keep two
   * transactions from re-deriving the same day from different hours.
   *
   * @param maxHours most hours, {@code > 0}
   * @return the claimed hours, in (org, hour) order
   */
  List<OrgHour> claimDirty(int maxHours);

  /**
   * Claims exactly those of these hours that are still dirty, quarantined or not (how a retry runs).
   *
   * @param hours candidate hours
   * @return the claimed ones, in (org, hour) order
   */
  List<OrgHour> claim(Collection<OrgHour> hours);

  /**
   * Splits the claimed hours into those recomputed from their raw events and those refreshed incrementally, and
   * takes the pending deltas of every claimed hour out of the store (this transaction's commit removes them). A
   * store that keeps no deltas returns {@link HourDeltas#none()}: every hour is recomputed.
   *
   * <p>The store answers for exactness: for each hour it returns as incremental, its stored hourly rollups merged
   * with the returned deltas must be the rollup of every stored event of the hour under the book
   * {@link #prices()} reads, and no event of the hour may become visible to this transaction's later reads unless
   * its delta is among those returned (see the PostgreSQL store for how appends and claims guarantee that).
   *
   * @param hours every hour this transaction claimed, in (org, hour) order
   * @return the incremental hours with their stored rollups and deltas
   */
  default HourDeltas takeDeltas(List<OrgHour> hours) {
    return HourDeltas.none();
  }

  /**
   * @return the price book as of this transaction, read after the claim: a price change that marks hours either
   *     committed before (its prices are read here) or waits for this commit (see {@link PriceBookStore})
   */
  PriceBook prices();

  /**
   * Aggregates every stored event of the hours (those {@link #takeDeltas} did not return as incremental), per model: the sums, the cost (an event's own, or else its cost
   * by {@code prices}, see {@link BucketTotals}) and how many events had each latency.
   *
   * @param hours claimed hours, in (org, hour) order
   * @param prices the book from {@link #prices()}
   * @return totals per hourly (org, model, hour) key that has events, ordered by {@link RollupKey#BY_BUCKET_THEN_MODEL}
   */
  SortedMap<RollupKey, BucketTotals> hourTotals(List<OrgHour> hours, PriceBook prices);

  /**
   * @param dailyKeys (org, model, UTC day) keys
   * @return the stored hourly rollups (this transaction's writes included) of each day that has any
   */
  Map<RollupKey, List<UsageRollup>> storedHoursOfDays(Set<RollupKey> dailyKeys);

  /**
   * Inserts or replaces rollup rows.
   *
   * @param width {@link BucketWidth#HOUR} or {@link BucketWidth#DAY}
   * @param rows rollups by key
   * @param at the refresh step's time, kept as when the rows were last rolled up (freshness lag reads it)
   */
  void upsert(BucketWidth width, Map<RollupKey, UsageRollup> rows, Instant at);

  /**
   * Takes these hours out of quarantine (they were rolled up in this transaction).
   *
   * @param hours rolled-up hours
   */
  void release(Collection<OrgHour> hours);

  /** @return dirty (org, hour)s left, as this transaction sees them */
  long dirtyRemaining();
}
