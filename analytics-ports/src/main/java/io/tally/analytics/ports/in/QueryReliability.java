package io.tally.analytics.ports.in;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * Error rate and latency percentiles per bucket (DESIGN.md §6). The {@code SKETCH} method reads the rollups'
 * DDSketches (relative accuracy 0.01); {@code EXACT} reads raw events and computes {@code percentile_cont},
 * refused with {@code query.exact_range_too_large} when the range holds too many events. Requires
 * {@code analytics:reliability:read} on the organisation.
 */
public interface QueryReliability {
  /**
   * @param query what to read
   * @return the series, ordered by bucket then model
   */
  ReliabilityReport query(ReliabilityQuery query);

  /** How percentiles are computed. */
  enum PercentileMethod {
    SKETCH,
    EXACT;

    /** @return {@code sketch} or {@code exact} */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param actor caller
   * @param orgId organisation
   * @param granularity hourly or daily
   * @param window [start, end) on bucket start
   * @param modelId optional model filter
   * @param groupBy per model or merged per bucket
   * @param percentiles percentiles in (0, 100], for example 50, 95, 99; at least one, at most 10
   * @param method sketch or exact
   */
  record ReliabilityQuery(Actor actor, UUID orgId, Granularity granularity, TimeWindow window,
      Optional<String> modelId, GroupBy groupBy, List<Double> percentiles, PercentileMethod method) {
    /** Validates. */
    public ReliabilityQuery {
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(orgId, "orgId");
      Objects.requireNonNull(granularity, "granularity");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(groupBy, "groupBy");
      Objects.requireNonNull(method, "method");
      percentiles = List.copyOf(percentiles);
      if (percentiles.isEmpty() || percentiles.size() > 10
          || percentiles.stream().anyMatch(p -> !(p > 0 && p <= 100))) {
        throw new IllegalArgumentException("1 to 10 percentiles in (0, 100] are required");
      }
      window.requireWithin(granularity);
      if (modelId.isPresent() && !UsageEventRules.isValidModelId(modelId.get())) {
        throw new IllegalArgumentException("invalid modelId");
      }
    }
    /**
     * Every model, one series per model, p50/p95/p99 from the sketches.
     *
     * @param actor caller
     * @param orgId organisation
     * @param granularity hourly or daily buckets
     * @param window [start, end)
     * @return the query
     */
    public static ReliabilityQuery of(Actor actor, UUID orgId, Granularity granularity, TimeWindow window) {
      return new ReliabilityQuery(actor, orgId, granularity, window, Optional.empty(), GroupBy.MODEL,
          List.of(50.0, 95.0, 99.0), PercentileMethod.SKETCH);
    }
  }


  /**
   * @param percentile the percentile asked for, in (0, 100]
   * @param latencyMs its value in milliseconds
   */
  record PercentileValue(double percentile, double latencyMs) {}

  /**
   * @param bucketStart start of the bucket
   * @param modelId model, empty when grouped by none
   * @param requests events
   * @param errors failed events
   * @param errorRate errors / requests
   * @param latency one value per requested percentile, in request order
   */
  record ReliabilityPoint(Instant bucketStart, Optional<String> modelId, long requests, long errors,
      double errorRate, List<PercentileValue> latency) {
    /** Copies. */
    public ReliabilityPoint {
      Objects.requireNonNull(bucketStart, "bucketStart");
      Objects.requireNonNull(modelId, "modelId");
      latency = List.copyOf(latency);
    }
  }

  /**
   * @param orgId organisation
   * @param granularity granularity served
   * @param window range served
   * @param freshness how stale the rollups are
   * @param method how the percentiles were computed
   * @param relativeAccuracy the sketch's error bound; empty for exact
   * @param series rows ordered by bucket then model
   */
  record ReliabilityReport(UUID orgId, Granularity granularity, TimeWindow window, Freshness freshness,
      PercentileMethod method, OptionalDouble relativeAccuracy, List<ReliabilityPoint> series) {
    /** Copies. */
    public ReliabilityReport {
      series = List.copyOf(series);
    }
  }
}
