package io.tally.analytics.core.rollup;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns events into rollups at any {@link BucketWidth}, and coarser rollups out of finer ones. Both paths give
 * identical results (the property tests prove it), which is why the stores may derive daily rows from hourly
 * rows and recompute only the buckets a late event touched.
 */
public final class RollupCalculator {
  private RollupCalculator() {}

  /**
   * @param events events, any order; only their own costs count (see {@link #rollup(Iterable, BucketWidth,
   *     PriceBook)})
   * @param width bucket width
   * @return one rollup per (org, model, bucket) that has events, ordered by bucket then model
   */
  public static Map<RollupKey, UsageRollup> rollup(Iterable<UsageEvent> events, BucketWidth width) {
    return rollup(events, width, PriceBook.empty());
  }

  /**
   * @param events events, any order
   * @param width bucket width
   * @param prices prices the events that carry no cost of their own
   * @return one rollup per (org, model, bucket) that has events, ordered by bucket then model
   */
  public static Map<RollupKey, UsageRollup> rollup(Iterable<UsageEvent> events, BucketWidth width,
      PriceBook prices) {
    Objects.requireNonNull(width, "width");
    Objects.requireNonNull(prices, "prices");
    Map<RollupKey, RollupAccumulator> accumulators = new HashMap<>();
    for (UsageEvent event : events) {
      RollupKey key = new RollupKey(event.orgId(), event.modelId(), width.bucketStart(event.occurredAt()));
      accumulators.computeIfAbsent(key, k -> new RollupAccumulator(prices)).add(event);
    }
    Map<RollupKey, UsageRollup> result = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    accumulators.forEach((key, acc) -> result.put(key, acc.build()));
    return result;
  }

  /**
   * @param rollups rollups at some width that divides {@code toWidth}
   * @param toWidth the coarser width
   * @return the rollups merged into coarser buckets, ordered by bucket then model
   */
  public static Map<RollupKey, UsageRollup> coarsen(Map<RollupKey, UsageRollup> rollups, BucketWidth toWidth) {
    Map<RollupKey, UsageRollup> result = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    rollups.forEach((key, rollup) -> result.merge(key.at(toWidth), rollup, UsageRollup::merge));
    return result;
  }

  /**
   * Adds one map of rollups into another (the partial-recomputation step).
   *
   * @param a rollups of one part of the events
   * @param b rollups of another part, same width
   * @return the rollups of both parts
   */
  public static Map<RollupKey, UsageRollup> mergeAll(Map<RollupKey, UsageRollup> a, Map<RollupKey, UsageRollup> b) {
    Map<RollupKey, UsageRollup> result = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
    result.putAll(a);
    b.forEach((key, rollup) -> result.merge(key, rollup, UsageRollup::merge));
    return result;
  }
}
