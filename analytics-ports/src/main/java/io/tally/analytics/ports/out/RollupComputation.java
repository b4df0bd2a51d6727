package io.tally.analytics.ports.out;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.RollupAccumulator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.List;

/**
 * The domain math a {@link RollupStore} applies during a refresh. The store supplies the raw material (events
 * of one hourly bucket, or their sums and latency counts; hourly rollups of one day) and persists what this
 * returns, so the SQL never re-implements sketches: at most it adds numbers and counts equal latencies.
 */
public interface RollupComputation {
  /**
   * @param hourlyKey the hourly bucket
   * @param events every stored event of that (org, model, hour)
   * @param prices the price book as the refresh read it, after claiming the bucket (see {@link PriceBookStore})
   * @return the bucket's rollup, events without their own cost priced by {@code prices}
   */
  UsageRollup fromEvents(RollupKey hourlyKey, List<UsageEvent> events, PriceBook prices);

  /**
   * The same rollup as {@link #fromEvents} over the events the totals were aggregated from, priced by the book
   * the store read.
   *
   * @param hourlyKey the hourly bucket
   * @param totals sums and latency counts over every stored event of that (org, model, hour)
   * @return the bucket's rollup
   */
  UsageRollup fromTotals(RollupKey hourlyKey, BucketTotals totals);

  /**
   * The incremental refresh of one hourly bucket: the same rollup as {@link #fromEvents} over all its events, when
   * {@code stored} covers the events up to some point and each delta the events of one later append.
   *
   * @param hourlyKey the hourly bucket
   * @param stored its stored rollup, {@link UsageRollup#empty()} when it has none
   * @param deltas the rollups of the events appended since, each from {@link #fromEvents}
   * @return the bucket's rollup
   */
  default UsageRollup applyDeltas(RollupKey hourlyKey, UsageRollup stored, List<UsageRollup> deltas) {
    UsageRollup merged = stored;
    for (UsageRollup delta : deltas) {
      merged = merged.merge(delta);
    }
    return merged;
  }

  /**
   * @param dailyKey the UTC day bucket
   * @param hourly the stored hourly rollups of that (org, model, day)
   * @return the day's rollup
   */
  UsageRollup combine(RollupKey dailyKey, List<UsageRollup> hourly);

  /** @return the standard computation of {@code analytics-core} */
  static RollupComputation standard() {
    return new RollupComputation() {
      @Override
      public UsageRollup fromEvents(RollupKey hourlyKey, List<UsageEvent> events, PriceBook prices) {
        RollupAccumulator accumulator = new RollupAccumulator(prices);
        events.forEach(accumulator::add);
        return accumulator.build();
      }

      @Override
      public UsageRollup fromTotals(RollupKey hourlyKey, BucketTotals totals) {
        LatencySketch.Builder sketch = LatencySketch.builder();
        totals.latencies().forEach(c -> sketch.add(c.latencyMs(), c.count()));
        return new UsageRollup(totals.requests(), totals.errors(), totals.inputTokens(), totals.outputTokens(),
            totals.costMicros(), totals.unpricedRequests(), sketch.build());
      }

      @Override
      public UsageRollup combine(RollupKey dailyKey, List<UsageRollup> hourly) {
        return hourly.stream().reduce(UsageRollup.empty(), UsageRollup::merge);
      }
    };
  }
}
