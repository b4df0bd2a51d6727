package io.tally.analytics.core.rollup;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Aggregates of a set of events: a commutative monoid under {@link #merge}, with {@link #empty()} as identity.
 * That algebra is what allows incremental refresh, late events and hourly-to-daily coarsening to give the same
 * numbers as one pass over the raw data.
 *
 * @param requests number of events
 * @param errors events with status error
 * @param inputTokens sum of input tokens
 * @param outputTokens sum of output tokens
 * @param costMicros sum of the known costs, micro-units (an unpriced event adds nothing here)
 * @param unpricedRequests events whose cost is unknown: no cost of their own and no price in force (so
 *     {@code costMicros} understates the real cost whenever this is not 0)
 * @param latency latency distribution of the events
 */
public record UsageRollup(long requests, long errors, long inputTokens, long outputTokens, long costMicros,
    long unpricedRequests, LatencySketch latency) {
  private static final UsageRollup EMPTY = new UsageRollup(0, 0, 0, 0, 0, 0, LatencySketch.empty());

  /** Validates. */
  public UsageRollup {
    if (requests < 0 || errors < 0 || errors > requests || inputTokens < 0 || outputTokens < 0 || costMicros < 0
        || unpricedRequests < 0 || unpricedRequests > requests) {
      throw new IllegalArgumentException("counts must be >= 0, errors and unpricedRequests <= requests");
    }
    Objects.requireNonNull(latency, "latency");
    if (latency.count() != requests) {
      throw new IllegalArgumentException("latency sketch must hold one sample per request");
    }
  }

  /** @return the identity of {@link #merge} */
  public static UsageRollup empty() {
    return EMPTY;
  }

  /**
   * @param event an event
   * @param prices the book that prices it when it carries no cost
   * @return the rollup of that one event
   */
  public static UsageRollup of(UsageEvent event, PriceBook prices) {
    OptionalLong cost = prices.costOf(event);
    return new UsageRollup(1, event.isError() ? 1 : 0, event.inputTokens(), event.outputTokens(),
        cost.orElse(0), cost.isPresent() ? 0 : 1, LatencySketch.of(event.latencyMs()));
  }

  /**
   * @param other another rollup
   * @return the rollup of both event sets (overflow-checked)
   */
  public UsageRollup merge(UsageRollup other) {
    return new UsageRollup(
        Math.addExact(requests, other.requests),
        Math.addExact(errors, other.errors),
        Math.addExact(inputTokens, other.inputTokens),
        Math.addExact(outputTokens, other.outputTokens),
        Math.addExact(costMicros, other.costMicros),
        Math.addExact(unpricedRequests, other.unpricedRequests),
        latency.merge(other.latency));
  }

  /** @return errors / requests, 0 when there were no requests */
  public double errorRate() {
    return requests == 0 ? 0.0 : (double) errors / requests;
  }
}
