package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the sums of stored rollup buckets without their latency sketches: what the usage API answers from. A
 * sketch is most of a bucket's bytes and decoding it most of a usage read's CPU (JFR profile of
 * {@code scripts/bench http-read}, docs/benchmarks.md), and usage never looks at latencies.
 */
public interface RollupSums {
  /**
   * @param orgId organisation
   * @param width {@link BucketWidth#HOUR} or {@link BucketWidth#DAY}; other widths throw
   *     {@code rollup.unsupported_width}
   * @param start inclusive bound on bucketStart
   * @param end exclusive bound on bucketStart
   * @param modelId optional model filter
   * @return the same buckets as {@link RollupStore#query}, in the same order, with their sums only
   */
  List<Row> sums(UUID orgId, BucketWidth width, Instant start, Instant end, Optional<String> modelId);

  /**
   * @param store a rollup store
   * @return sums read through {@link RollupStore#query} (sketches read and dropped), for stores with no cheaper way
   */
  static RollupSums of(RollupStore store) {
    Objects.requireNonNull(store, "store");
    return (orgId, width, start, end, modelId) -> store.query(orgId, width, start, end, modelId).stream()
        .map(r -> Row.of(r.key(), r.rollup())).toList();
  }

  /**
   * One bucket's sums.
   *
   * @param key org, model, bucket start
   * @param requests events
   * @param errors events with status error
   * @param inputTokens sum of input tokens
   * @param outputTokens sum of output tokens
   * @param costMicros sum of known costs, micro-units
   * @param unpricedRequests events with no cost and no price
   */
  record Row(RollupKey key, long requests, long errors, long inputTokens, long outputTokens, long costMicros,
      long unpricedRequests) {
    /** Validates. */
    public Row {
      Objects.requireNonNull(key, "key");
    }

    /** @return the sums of a full rollup bucket */
    public static Row of(RollupKey key, UsageRollup rollup) {
      return new Row(key, rollup.requests(), rollup.errors(), rollup.inputTokens(), rollup.outputTokens(),
          rollup.costMicros(), rollup.unpricedRequests());
    }
  }
}
