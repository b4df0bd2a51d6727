package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.in.Granularity;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The export job wire format (camelCase, {@code /analytics/v1}) and its mapping to the core types. */
final class ExportJson {
  /** Longest range of a raw-event export: raw rows are for incidents, not for history. */
  static final Duration MAX_RAW_SPAN = Duration.ofDays(31);

  private static final Map<String, ExportKind> KINDS = Map.of(
      "usage", ExportKind.USAGE_ROLLUP, "usage_rollup", ExportKind.USAGE_ROLLUP,
      "raw", ExportKind.RAW_EVENTS, "raw_events", ExportKind.RAW_EVENTS);

  private ExportJson() {}

  /** {@code {"start", "end"}}; start inclusive, end exclusive. */
  record TimeRange(@JsonProperty("start") String start, @JsonProperty("end") String end) {}

  /** Body of {@code POST …/exports}. */
  record CreateRequest(
      @JsonProperty("timeRange") TimeRange timeRange,
      @JsonProperty("granularity") String granularity,
      @JsonProperty("kind") String kind) {

    ExportSpec toSpec() {
      if (timeRange == null) {
        throw new TallyException(ExportSpec.INVALID_SPEC, "timeRange {start, end} is required.");
      }
      ExportKind exportKind = kind == null ? ExportKind.USAGE_ROLLUP : KINDS.get(kind.toLowerCase(Locale.ROOT));
      if (exportKind == null) {
        throw new TallyException(ExportSpec.INVALID_SPEC, "kind must be usage or raw.");
      }
      Map<Granularity, Duration> spans = exportKind == ExportKind.RAW_EVENTS
          ? Map.of(Granularity.HOURLY, MAX_RAW_SPAN, Granularity.DAILY, MAX_RAW_SPAN)
          : TimeRangeQuery.DEFAULT_MAX_SPAN;
      TimeRangeQuery range = TimeRangeQuery.parse(timeRange.start(), timeRange.end(),
          java.util.Optional.ofNullable(granularity), Granularity.DAILY, spans);
      ExportGranularity g = range.granularity() == Granularity.HOURLY
          ? ExportGranularity.HOURLY : ExportGranularity.DAILY;
      return new ExportSpec(exportKind, range.start(), range.end(), g);
    }
  }

  /** A job as the API shows it; absent values are {@code null}. */
  record JobView(
      @JsonProperty("jobId") String jobId,
      @JsonProperty("orgId") String orgId,
      @JsonProperty("status") String status,
      @JsonProperty("kind") String kind,
      @JsonProperty("granularity") String granularity,
      @JsonProperty("timeRange") Map<String, Instant> timeRange,
      @JsonProperty("requestedBy") String requestedBy,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("createdAt") Instant createdAt,
      @JsonProperty("updatedAt") Instant updatedAt,
      @JsonProperty("rowCount") Long rowCount,
      @JsonProperty("expiresAt") Instant expiresAt,
      @JsonProperty("error") String error) {

    static JobView from(ExportJob job) {
      ExportSpec spec = job.spec();
      String kind = spec.kind() == ExportKind.RAW_EVENTS ? "raw" : "usage";
      return new JobView(job.jobId(), job.orgId(), job.status().wireName(), kind, spec.granularity().wireName(),
          Map.of("start", spec.start(), "end", spec.end()), job.requestedBy(), job.attempts(), job.createdAt(),
          job.updatedAt(), job.rowCount().orElse(null), job.expiresAt().orElse(null), job.error().orElse(null));
    }
  }

  /** Answer of {@code GET …/exports}. */
  record JobList(@JsonProperty("jobs") List<JobView> jobs, @JsonProperty("nextCursor") String nextCursor) {
    static JobList from(ExportJobPage page) {
      return new JobList(page.jobs().stream().map(JobView::from).toList(), page.nextCursor().orElse(null));
    }
  }
}
