package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An aggregation request: a metric, up to {@value #MAX_GROUP_BY} distinct groupable {@link EventField}s
 * ({@code analytics_aggregate.invalid_group_by} otherwise) and an optional UTC time bucket.
 *
 * @param metric what to count
 * @param groupBy fields to group by, in the caller's order (empty: one total)
 * @param bucket optional hour/day split
 */
public record AggregationSpec(AggregationMetric metric, List<EventField> groupBy, Optional<TimeBucket> bucket) {
  /** Most fields one aggregation may group by. */
  public static final int MAX_GROUP_BY = 5;
  /** Error code for a bad group_by. */
  public static final String INVALID_GROUP_BY = "analytics_aggregate.invalid_group_by";
  /** Error code for a bad bucket. */
  public static final String INVALID_BUCKET = "analytics_aggregate.invalid_bucket";

  /** Validates and copies. */
  public AggregationSpec {
    Objects.requireNonNull(metric, "metric");
    groupBy = List.copyOf(groupBy);
    Objects.requireNonNull(bucket, "bucket");
    if (groupBy.size() > MAX_GROUP_BY || new HashSet<>(groupBy).size() != groupBy.size()) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_GROUP_BY,
          "group_by takes up to " + MAX_GROUP_BY + " distinct fields.");
    }
    for (EventField f : groupBy) {
      if (!f.groupable()) {
        throw new TallyException(TallyException.Kind.INVALID, INVALID_GROUP_BY,
            "cannot group by " + f.wireName() + ".");
      }
    }
  }

  /**
   * Parses the wire parameters.
   *
   * @param metric {@code metric}
   * @param groupBy {@code group_by} field names (already split on commas)
   * @param bucket {@code bucket}, if given
   * @return the spec
   */
  public static AggregationSpec parse(String metric, List<String> groupBy, Optional<String> bucket) {
    List<EventField> fields = groupBy.stream().map(name -> EventField.fromWireName(name).orElseThrow(() ->
        new TallyException(TallyException.Kind.INVALID, INVALID_GROUP_BY,
            "unknown group_by field " + name + "."))).toList();
    Optional<TimeBucket> b = bucket.map(name -> TimeBucket.fromWireName(name).orElseThrow(() ->
        new TallyException(TallyException.Kind.INVALID, INVALID_BUCKET, "bucket must be hour or day.")));
    return new AggregationSpec(AggregationMetric.parse(metric), fields, b);
  }
}
