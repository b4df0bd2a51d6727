package io.tally.analytics.core.analyticsevent;

import java.util.List;
import java.util.Objects;

/**
 * The answer to an aggregation ({@code {"metric", "total", "groups"}} on the wire).
 *
 * @param metric the metric name as asked
 * @param total events counted over all groups
 * @param groups non-empty groups ordered by bucket, then key values
 */
public record AggregationResult(String metric, long total, List<AggregationGroup> groups) {
  /** Validates and copies. */
  public AggregationResult {
    Objects.requireNonNull(metric, "metric");
    groups = List.copyOf(groups);
    if (groups.stream().mapToLong(AggregationGroup::count).sum() != total) {
      throw new IllegalArgumentException("total must equal the sum of the groups");
    }
  }

  /** @return a result with nothing counted */
  public static AggregationResult empty(String metric) {
    return new AggregationResult(metric, 0, List.of());
  }
}
