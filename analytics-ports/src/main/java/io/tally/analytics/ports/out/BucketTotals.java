package io.tally.analytics.ports.out;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

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
   * The totals a store without its own aggregation (the in-memory one) computes: what a database's
   * {@code GROUP BY latency} returns, summed with overflow checks.
   *
   * @param events every stored event of one (org, model, hour)
   * @param prices prices the events without their own cost
   * @return their totals
   * @throws ArithmeticException when a sum does not fit a long
   */
  public static BucketTotals of(List<UsageEvent> events, PriceBook prices) {
    long requests = 0;
    long errors = 0;
    long input = 0;
    long output = 0;
    long cost = 0;
    long unpriced = 0;
    Map<Long, Long> byLatency = new TreeMap<>();
    for (UsageEvent e : events) {
      OptionalLong price = prices.costOf(e);
      requests++;
      errors += e.isError() ? 1 : 0;
      input = Math.addExact(input, e.inputTokens());
      output = Math.addExact(output, e.outputTokens());
      if (price.isPresent()) {
        cost = Math.addExact(cost, price.getAsLong());
      } else {
        unpriced++;
      }
      byLatency.merge(e.latencyMs(), 1L, Long::sum);
    }
    List<LatencyCount> latencies = byLatency.entrySet().stream()
        .map(c -> new LatencyCount(c.getKey(), c.getValue())).toList();
    return new BucketTotals(requests, errors, input, output, cost, unpriced, latencies);
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
