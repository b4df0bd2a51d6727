package io.tally.analytics.ports.out;

import java.util.List;
import java.util.Objects;

/**
 * What a store aggregated itself over every stored event of one (org, model, hour): the sums, and how many
 * events had each latency. A database counts equal latencies far faster than it can ship each event, and the
 * rollup built from these is equal to the one built from the events ({@link RollupComputation#fromTotals}).
 *
 * @param requests events in the bucket, the sum of the latency counts
 * @param errors events with status error, at most {@code requests}
 * @param inputTokens sum of input tokens
 * @param outputTokens sum of output tokens
 * @param costMicros sum of the known costs in micro-units: each event's own cost, or else its cost by the price
 *     book ({@link io.tally.analytics.core.pricing.PriceBook#periods} says which price, and
 *     {@link io.tally.analytics.core.pricing.PriceBook#cost} how to compute it)
 * @param unpricedRequests events with neither a cost of their own nor a price in force
 * @param latencies one entry per distinct latency, each with its count
 */
public record BucketTotals(long requests, long errors, long inputTokens, long outputTokens, long costMicros,
    long unpricedRequests, List<LatencyCount> latencies) {

  /** Validates: non-negative sums, errors within requests, and latency counts that add up to requests. */
  public BucketTotals {
    if (requests < 0 || errors < 0 || errors > requests || inputTokens < 0 || outputTokens < 0 || costMicros < 0
        || unpricedRequests < 0 || unpricedRequests > requests) {
      throw new IllegalArgumentException("sums must be >= 0, errors and unpricedRequests <= requests");
    }
    latencies = List.copyOf(Objects.requireNonNull(latencies, "latencies"));
    long counted = 0;
    for (LatencyCount c : latencies) {
      counted = Math.addExact(counted, c.count());
    }
    if (counted != requests) {
      throw new IllegalArgumentException("latency counts add up to " + counted + ", not " + requests + " requests");
    }
  }

  /**
   * @param latencyMs a latency, {@code >= 0}
   * @param count how many events had it, {@code >= 1}
   */
  public record LatencyCount(long latencyMs, long count) {
    /** Validates. */
    public LatencyCount {
      if (latencyMs < 0 || count < 1) {
        throw new IllegalArgumentException("latency must be >= 0 and count >= 1");
      }
    }
  }
}
