package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.ports.out.BucketTotals;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.HourDeltas;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupHourException;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.RollupTransaction;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rollup refresh algorithm, the one home of it whatever the store: in one store transaction, claim dirty
 * hours; bring each up to date, either incrementally, merging the deltas appended since its last refresh into its
 * stored rollups ({@link RollupTransaction#takeDeltas}, {@link RollupComputation#applyDeltas}), or, for the hours
 * the store does not offer that way, recomputing it from the totals of its raw events
 * ({@link RollupComputation#fromTotals}); re-derive the UTC day of every changed hour from its stored hours
 * ({@link RollupComputation#combine}) and release the hours from quarantine; after the commit, advance the freshness watermarks ({@link FreshnessStore#advanceClean}),
 * also when nothing was dirty, so an idle system keeps reporting fresh data.
 *
 * <p>The watermarks are written after the commit, through their own port: a step that fails writes none, and one
 * that commits and then cannot reach the freshness store leaves the watermarks behind (reads say stale), never
 * ahead. Days are re-derived from the stored hours rather than patched, so concurrent steps that claimed
 * different hours of one day converge (the store serializes them per day).
 *
 * <p>A failure of the computation on the data of some hour (an overflow, a corrupt sketch) is a
 * {@link RollupHourException}: the transaction rolls back and {@link RunRollupService} isolates the hour.
 */
public final class RollupRefresher {
  private final RollupStore rollups;
  private final FreshnessStore freshness;
  private final RollupComputation computation;

  /**
   * @param rollups where the rollups and dirty hours are stored
   * @param freshness the watermarks, normally over the same database
   * @param computation domain math, normally {@link RollupComputation#standard()}
   */
  public RollupRefresher(RollupStore rollups, FreshnessStore freshness, RollupComputation computation) {
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
    this.computation = Objects.requireNonNull(computation, "computation");
  }

  /**
   * One incremental step over the dirty hours that are not quarantined.
   *
   * @param maxHours most (org, hour)s to claim, {@code > 0}
   * @param now the step's time, written as the watermark of clean organisations
   * @return what was done and how much is left
   * @throws RollupHourException when some claimed hour cannot be computed; nothing is written
   */
  public RefreshResult refreshDirty(int maxHours, Instant now) {
    if (maxHours <= 0) {
      throw new IllegalArgumentException("maxHours must be > 0");
    }
    return refresh(tx -> tx.claimDirty(maxHours), now);
  }

  /**
   * Refreshes exactly these hours, those still dirty, quarantined or not (how a retry runs); the others are
   * skipped. Stores recompute these from their raw events, whatever deltas they hold.
   *
   * @param hours at least one hour
   * @param now the step's time
   * @return what was done
   * @throws RollupHourException when one of the hours cannot be computed; nothing is written
   */
  public RefreshResult refreshHours(List<OrgHour> hours, Instant now) {
    if (hours.isEmpty()) {
      throw new IllegalArgumentException("at least one hour");
    }
    Set<OrgHour> wanted = new LinkedHashSet<>(hours);
    return refresh(tx -> tx.claim(wanted), now);
  }

  private RefreshResult refresh(Function<RollupTransaction, List<OrgHour>> claim, Instant now) {
    Objects.requireNonNull(now, "now");
    Step step = rollups.inTransaction(tx -> recompute(tx, claim.apply(tx), now));
    freshness.advanceClean(step.orgs, now);
    return step.result;
  }

  private Step recompute(RollupTransaction tx, List<OrgHour> hours, Instant now) {
    if (hours.isEmpty()) {
      return new Step(new RefreshResult(0, 0, 0, tx.dirtyRemaining()), Set.of());
    }
    HourDeltas incremental = tx.takeDeltas(hours);
    List<OrgHour> full = hours.stream().filter(h -> !incremental.hours().contains(h)).toList();
    Map<RollupKey, UsageRollup> hourly = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    long read = 0;
    if (!full.isEmpty()) {
      PriceBook prices = tx.prices();
      for (Map.Entry<RollupKey, BucketTotals> hour : tx.hourTotals(full, prices).entrySet()) {
        hourly.put(hour.getKey(), compute(() -> computation.fromTotals(hour.getKey(), hour.getValue())));
        read += hour.getValue().requests();
      }
    }
    for (Map.Entry<RollupKey, List<UsageRollup>> delta : incremental.deltas().entrySet()) {
      RollupKey key = delta.getKey();
      UsageRollup stored = incremental.stored().getOrDefault(key, UsageRollup.empty());
      hourly.put(key, compute(() -> computation.applyDeltas(key, stored, delta.getValue())));
      read += delta.getValue().stream().mapToLong(UsageRollup::requests).sum();
    }
    Set<RollupKey> days = new TreeSet<>(RollupKey.BY_BUCKET_THEN_MODEL);
    hourly.keySet().forEach(key -> days.add(key.at(BucketWidth.DAY)));
    tx.upsert(BucketWidth.HOUR, hourly, now);
    Map<RollupKey, UsageRollup> daily = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    tx.storedHoursOfDays(days).forEach((day, stored) -> daily.put(day, compute(() -> computation.combine(day, stored))));
    tx.upsert(BucketWidth.DAY, daily, now);
    tx.release(hours);
    Set<UUID> orgs = new HashSet<>();
    hours.forEach(h -> orgs.add(h.orgId()));
    return new Step(new RefreshResult(hours.size(), daily.size(), read, tx.dirtyRemaining()), orgs);
  }

  /** Runs one computation; a failure that is no {@link TallyException} is a failure of the hour's data. */
  private static UsageRollup compute(Supplier<UsageRollup> computation) {
    try {
      return computation.get();
    } catch (TallyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RollupHourException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** What one transaction did, and whose hours it rolled up. */
  private record Step(RefreshResult result, Set<UUID> orgs) {}
}
