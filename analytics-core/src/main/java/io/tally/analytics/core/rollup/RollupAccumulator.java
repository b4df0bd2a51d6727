package io.tally.analytics.core.rollup;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Builds one {@link UsageRollup} from many events without allocating a rollup per event, pricing each event
 * without a cost of its own by a {@link PriceBook}. Not thread-safe; single use.
 */
public final class RollupAccumulator {
  private final PriceBook prices;
  private long requests;
  private long errors;
  private long inputTokens;
  private long outputTokens;
  private long costMicros;
  private long unpriced;
  private final LatencySketch.Builder latency = LatencySketch.builder();

  /** An accumulator that knows no prices: only events carrying their own cost are priced. */
  public RollupAccumulator() {
    this(PriceBook.empty());
  }

  /** @param prices prices events without their own cost */
  public RollupAccumulator(PriceBook prices) {
    this.prices = Objects.requireNonNull(prices, "prices");
  }

  /**
   * @param event an event, priced or not
   * @return this
   */
  public RollupAccumulator add(UsageEvent event) {
    OptionalLong cost = prices.costOf(event);
    requests = Math.addExact(requests, 1);
    errors = Math.addExact(errors, event.isError() ? 1 : 0);
    inputTokens = Math.addExact(inputTokens, event.inputTokens());
    outputTokens = Math.addExact(outputTokens, event.outputTokens());
    if (cost.isPresent()) {
      costMicros = Math.addExact(costMicros, cost.getAsLong());
    } else {
      unpriced = Math.addExact(unpriced, 1);
    }
    latency.add(event.latencyMs());
    return this;
  }

  /** @return the rollup of everything added */
  public UsageRollup build() {
    return new UsageRollup(requests, errors, inputTokens, outputTokens, costMicros, unpriced, latency.build());
  }
}
