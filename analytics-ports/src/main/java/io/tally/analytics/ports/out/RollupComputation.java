package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.RollupAccumulator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.List;

/**
 * The domain math a {@link RollupStore} applies during a refresh. The store supplies the raw material (events
 * of one hourly bucket, hourly rollups of one day) and persists what this returns, so the SQL never
 * re-implements sketch merging.
 */
public interface RollupComputation {
  /**
   * @param hourlyKey the hourly bucket
   * @param events every stored event of that (org, model, hour)
   * @return the bucket's rollup
   */
  UsageRollup fromEvents(RollupKey hourlyKey, List<UsageEvent> events);

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
      public UsageRollup fromEvents(RollupKey hourlyKey, List<UsageEvent> events) {
        RollupAccumulator accumulator = new RollupAccumulator();
        events.forEach(accumulator::add);
        return accumulator.build();
      }

      @Override
      public UsageRollup combine(RollupKey dailyKey, List<UsageRollup> hourly) {
        return hourly.stream().reduce(UsageRollup.empty(), UsageRollup::merge);
      }
    };
  }
}
