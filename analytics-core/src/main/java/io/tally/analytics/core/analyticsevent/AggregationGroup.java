package io.tally.analytics.core.analyticsevent;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One group of an aggregation.
 *
 * @param key group-by field wire name to value, in group-by order; {@link #NONE} when the event lacks the field
 * @param bucketStart UTC bucket start, present when the spec has a bucket
 * @param count events counted
 */
public record AggregationGroup(Map<String, String> key, Optional<Instant> bucketStart, long count) {
  /** Value standing for "the event has no value for this field". */
  public static final String NONE = "(none)";

  /** Copies (keeping order). */
  public AggregationGroup {
    key = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
    Objects.requireNonNull(bucketStart, "bucketStart");
    if (count < 0) {
      throw new IllegalArgumentException("count >= 0");
    }
  }
}
