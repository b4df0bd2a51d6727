package io.tally.analytics.ports.in;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Requests, tokens and cost per bucket from the rollups (DESIGN.md §6), with totals and freshness. Requires
 * {@code analytics:usage:read} on the organisation.
 */
public interface QueryUsage {
  /**
   * @param query what to read
   * @return the series, ordered by bucket then model, and its totals
   */
  UsageReport query(UsageQuery query);

  /**
   * @param actor caller
   * @param orgId organisation
   * @param granularity hourly or daily
   * @param window [start, end) on bucket start, within the granularity's range limit
   * @param modelId optional model filter
   * @param groupBy per model (default) or merged per bucket
   */
  record UsageQuery(Actor actor, UUID orgId, Granularity granularity, TimeWindow window, Optional<String> modelId,
      GroupBy groupBy) {
    /** Validates. */
    public UsageQuery {
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(orgId, "orgId");
      Objects.requireNonNull(granularity, "granularity");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(groupBy, "groupBy");
      window.requireWithin(granularity);
      if (modelId.isPresent() && !UsageEventRules.isValidModelId(modelId.get())) {
        throw new IllegalArgumentException("invalid modelId");
      }
    }
    /**
     * Every model, one series per model.
     *
     * @param actor caller
     * @param orgId organisation
     * @param granularity hourly or daily buckets
     * @param window [start, end)
     * @return the query
     */
    public static UsageQuery of(Actor actor, UUID orgId, Granularity granularity, TimeWindow window) {
      return new UsageQuery(actor, orgId, granularity, window, Optional.empty(), GroupBy.MODEL);
    }
  }


  /**
   * Totals of a set of buckets.
   *
   * @param requests events
   * @param errors failed events
   * @param inputTokens input tokens
   * @param outputTokens output tokens
   * @param costMicros cost of the priced requests, micro-units
   * @param unpricedRequests requests whose cost is unknown (no cost sent, no price in force): when it is not 0,
   *     {@code costMicros} understates the real cost
   */
  record UsageTotals(long requests, long errors, long inputTokens, long outputTokens, long costMicros,
      long unpricedRequests) {
    /** The totals of nothing. */
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0);

    /** @return the sum of both (overflow-checked) */
    public UsageTotals plus(UsageTotals other) {
      return new UsageTotals(Math.addExact(requests, other.requests), Math.addExact(errors, other.errors),
          Math.addExact(inputTokens, other.inputTokens), Math.addExact(outputTokens, other.outputTokens),
          Math.addExact(costMicros, other.costMicros), Math.addExact(unpricedRequests, other.unpricedRequests));
    }
  }

  /**
   * One row of the series.
   *
   * @param bucketStart start of the bucket
   * @param modelId the model; empty when grouped by none
   * @param totals the bucket's numbers
   */
  record UsagePoint(Instant bucketStart, Optional<String> modelId, UsageTotals totals) {
    /** Validates. */
    public UsagePoint {
      Objects.requireNonNull(bucketStart, "bucketStart");
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(totals, "totals");
    }
  }

  /**
   * @param orgId organisation
   * @param granularity granularity served
   * @param window range served
   * @param freshness how stale the rollups are
   * @param series rows ordered by bucket then model; buckets without events are absent
   * @param totals sum over the series
   */
  record UsageReport(UUID orgId, Granularity granularity, TimeWindow window, Freshness freshness,
      List<UsagePoint> series, UsageTotals totals) {
    /** Copies. */
    public UsageReport {
      series = List.copyOf(series);
    }
  }
}
