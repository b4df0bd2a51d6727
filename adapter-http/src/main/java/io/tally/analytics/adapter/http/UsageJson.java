package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.in.IngestUsageBatch.EventResult;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.QueryReliability.PercentileValue;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityPoint;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityReport;
import io.tally.analytics.ports.in.QueryUsage.UsagePoint;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The usage API's wire format (camelCase, DESIGN.md §6 and appendix) and its mapping from the port types. */
final class UsageJson {
  private UsageJson() {}

  /** One broken rule of one event. */
  record ErrorView(@JsonProperty("errorCode") String errorCode, @JsonProperty("field") String field,
      @JsonProperty("message") String message) {
    static ErrorView from(Violation v) {
      return new ErrorView(v.errorCode(), v.field(), v.message());
    }
  }

  /** What happened to the element at {@code index}; {@code errors} is empty unless rejected. */
  record ResultView(@JsonProperty("index") int index, @JsonProperty("eventId") String eventId,
      @JsonProperty("status") String status, @JsonProperty("errors") List<ErrorView> errors) {
    static ResultView from(EventResult r, int elementIndex) {
      return new ResultView(elementIndex, r.eventId().orElse(null), r.status().name().toLowerCase(Locale.ROOT),
          r.violations().stream().map(ErrorView::from).toList());
    }
  }

  /** Answer of {@code POST /analytics/v1/events}: the counts, then one result per element in input order. */
  record IngestView(@JsonProperty("batchId") String batchId, @JsonProperty("accepted") long accepted,
      @JsonProperty("duplicates") long duplicates, @JsonProperty("conflicts") long conflicts,
      @JsonProperty("rejected") long rejected, @JsonProperty("results") List<ResultView> results) {
    /**
     * @param report the use case's results, one per candidate
     * @param elementOf the batch element index of each candidate
     * @param refused the elements the wire reader refused before the use case, by element index
     */
    static IngestView from(IngestReport report, List<Integer> elementOf, Map<Integer, ErrorView> refused) {
      ResultView[] results = new ResultView[elementOf.size() + refused.size()];
      refused.forEach((index, error) -> results[index] = new ResultView(index, null, "rejected", List.of(error)));
      for (EventResult r : report.results()) {
        results[elementOf.get(r.index())] = ResultView.from(r, elementOf.get(r.index()));
      }
      return new IngestView(report.batchId(), report.accepted(), report.duplicates(), report.conflicts(),
          report.rejected() + refused.size(), List.of(results));
    }
  }

  /**
   * {@code {"lastRollupAt", "lagSeconds", "status"}}, plus {@code "reason"} when the status is {@code error};
   * {@code lastRollupAt} is null before the first rollup.
   */
  record FreshnessView(@JsonProperty("lastRollupAt") Instant lastRollupAt,
      @JsonProperty("lagSeconds") long lagSeconds, @JsonProperty("status") String status,
      @JsonProperty("reason") @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    static FreshnessView from(Freshness f) {
      return new FreshnessView(f.lastRollupAt().orElse(null), f.lagSeconds(), f.status().wireName(),
          f.reason().orElse(null));
    }
  }

  /** Totals of a set of buckets; {@code costMicros} leaves out the {@code unpricedRequests} (cost unknown). */
  record TotalsView(@JsonProperty("requests") long requests, @JsonProperty("errors") long errors,
      @JsonProperty("inputTokens") long inputTokens, @JsonProperty("outputTokens") long outputTokens,
      @JsonProperty("costMicros") long costMicros, @JsonProperty("unpricedRequests") long unpricedRequests) {
    static TotalsView from(UsageTotals t) {
      return new TotalsView(t.requests(), t.errors(), t.inputTokens(), t.outputTokens(), t.costMicros(),
          t.unpricedRequests());
    }
  }

  /** One usage row; {@code modelId} is null with {@code groupBy=none}. */
  record UsagePointView(@JsonProperty("bucketStart") Instant bucketStart, @JsonProperty("modelId") String modelId,
      @JsonProperty("requests") long requests, @JsonProperty("errors") long errors,
      @JsonProperty("inputTokens") long inputTokens, @JsonProperty("outputTokens") long outputTokens,
      @JsonProperty("costMicros") long costMicros, @JsonProperty("unpricedRequests") long unpricedRequests) {
    static UsagePointView from(UsagePoint p) {
      UsageTotals t = p.totals();
      return new UsagePointView(p.bucketStart(), p.modelId().orElse(null), t.requests(), t.errors(),
          t.inputTokens(), t.outputTokens(), t.costMicros(), t.unpricedRequests());
    }
  }

  /** Answer of {@code GET …/usage} (DESIGN.md §6). */
  record UsageView(@JsonProperty("orgId") String orgId, @JsonProperty("granularity") String granularity,
      @JsonProperty("start") Instant start, @JsonProperty("end") Instant end,
      @JsonProperty("freshness") FreshnessView freshness, @JsonProperty("series") List<UsagePointView> series,
      @JsonProperty("totals") TotalsView totals) {
    static UsageView from(UsageReport r) {
      return new UsageView(r.orgId().toString(), r.granularity().wireName(), r.window().start(), r.window().end(),
          FreshnessView.from(r.freshness()), r.series().stream().map(UsagePointView::from).toList(),
          TotalsView.from(r.totals()));
    }
  }

  /** One reliability row; {@code latencyMs} maps {@code p50}, {@code p95}, … to milliseconds. */
  record ReliabilityPointView(@JsonProperty("bucketStart") Instant bucketStart,
      @JsonProperty("modelId") String modelId, @JsonProperty("requests") long requests,
      @JsonProperty("errors") long errors, @JsonProperty("errorRate") double errorRate,
      @JsonProperty("latencyMs") Map<String, Double> latencyMs) {
    static ReliabilityPointView from(ReliabilityPoint p) {
      Map<String, Double> latency = new LinkedHashMap<>();
      for (PercentileValue v : p.latency()) {
        latency.put(percentileKey(v.percentile()), v.latencyMs());
      }
      return new ReliabilityPointView(p.bucketStart(), p.modelId().orElse(null), p.requests(), p.errors(),
          p.errorRate(), latency);
    }
  }

  /**
   * Answer of {@code GET …/reliability} (DESIGN.md §6). {@code relativeAccuracy} is the sketch's error bound;
   * 0 for {@code exact}.
   */
  record ReliabilityView(@JsonProperty("orgId") String orgId, @JsonProperty("granularity") String granularity,
      @JsonProperty("start") Instant start, @JsonProperty("end") Instant end,
      @JsonProperty("freshness") FreshnessView freshness, @JsonProperty("percentileMethod") String percentileMethod,
      @JsonProperty("relativeAccuracy") double relativeAccuracy,
      @JsonProperty("series") List<ReliabilityPointView> series) {
    static ReliabilityView from(ReliabilityReport r) {
      return new ReliabilityView(r.orgId().toString(), r.granularity().wireName(), r.window().start(),
          r.window().end(), FreshnessView.from(r.freshness()), r.method().wireName(),
          r.relativeAccuracy().orElse(0.0), r.series().stream().map(ReliabilityPointView::from).toList());
    }
  }

  /** @return {@code p50} for 50, {@code p99.9} for 99.9 */
  static String percentileKey(double percentile) {
    return "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
  }
}
