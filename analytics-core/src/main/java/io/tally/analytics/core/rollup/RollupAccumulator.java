package io.tally.analytics.core.rollup;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.usage.UsageEvent;

/**
 * Builds one {@link UsageRollup} from many events without allocating a rollup per event. Not thread-safe;
 * single use.
 */
public final class RollupAccumulator {
  private long requests;
  private long errors;
  private long inputTokens;
  private long outputTokens;
  private long costMicros;
  private final LatencySketch.Builder latency = LatencySketch.builder();

  /**
   * @param event a priced event
   * @return this
   */
  public RollupAccumulator add(UsageEvent event) {
    long cost = event.requiredCostMicros();
    requests = Math.addExact(requests, 1);
    errors = Math.addExact(errors, event.isError() ? 1 : 0);
    inputTokens = Math.addExact(inputTokens, event.inputTokens());
    outputTokens = Math.addExact(outputTokens, event.outputTokens());
    costMicros = Math.addExact(costMicros, cost);
    latency.add(event.latencyMs());
    return this;
  }

  /** @return the rollup of everything added */
  public UsageRollup build() {
    return new UsageRollup(requests, errors, inputTokens, outputTokens, costMicros, latency.build());
  }
}
