package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.in.Granularity;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.core.export.ExportFailure;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportLease;
import io.tally.analytics.core.export.ExportManifest;
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

  private static final Map<String, ExportCompression> COMPRESSIONS = Map.of(
      "none", ExportCompression.NONE, "gzip", ExportCompression.GZIP);

  private ExportJson() {}

  /** {@code {"start", "end"}}; start inclusive, end exclusive. */
  record TimeRange(@JsonProperty("start") String start, @JsonProperty("end") String end) {}

  /** Body of {@code POST …/exports}. */
  record CreateRequest(
      @JsonProperty("timeRange") TimeRange timeRange,
      @JsonProperty("granularity") String granularity,
      @JsonProperty("kind") String kind,
      @JsonProperty("compression") String compression) {

    ExportSpec toSpec() {
      if (timeRange == null) {
        throw new TallyException(TallyException.Kind.INVALID, ExportSpec.INVALID_SPEC,
            "timeRange {start, end} is required.");
      }
      ExportKind exportKind = kind == null ? ExportKind.USAGE_ROLLUP : KINDS.get(kind.toLowerCase(Locale.ROOT));
      if (exportKind == null) {
        throw new TallyException(TallyException.Kind.INVALID, ExportSpec.INVALID_SPEC, "kind must be usage or raw.");
      }
      Map<Granularity, Duration> spans = exportKind == ExportKind.RAW_EVENTS
          ? Map.of(Granularity.HOURLY, MAX_RAW_SPAN, Granularity.DAILY, MAX_RAW_SPAN)
          : TimeRangeQuery.DEFAULT_MAX_SPAN;
      TimeRangeQuery range = TimeRangeQuery.parse(timeRange.start(), timeRange.end(),
          java.util.Optional.ofNullable(granularity), Granularity.DAILY, spans);
      ExportGranularity g = range.granularity() == Granularity.HOURLY
          ? ExportGranularity.HOURLY : ExportGranularity.DAILY;
      ExportCompression stored = compression == null ? ExportCompression.NONE
          : COMPRESSIONS.get(compression.toLowerCase(Locale.ROOT));
      if (stored == null) {
        throw new TallyException(TallyException.Kind.INVALID, ExportSpec.INVALID_SPEC,
            "compression must be none or gzip.");
      }
      return new ExportSpec(exportKind, range.start(), range.end(), g, stored);
    }
  }

  /**
   * A job as the API shows it; absent values are {@code null}. {@code rowsWritten} is the running attempt's
   * progress (the file's rows once succeeded); {@code error}/{@code errorCode} the last failed attempt's;
   * {@code manifest} the finished file's.
   */
  record JobView(
      @JsonProperty("jobId") String jobId,
      @JsonProperty("orgId") String orgId,
      @JsonProperty("status") String status,
      @JsonProperty("kind") String kind,
      @JsonProperty("granularity") String granularity,
      @JsonProperty("compression") String compression,
      @JsonProperty("timeRange") Map<String, Instant> timeRange,
      @JsonProperty("requestedBy") String requestedBy,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("maxAttempts") int maxAttempts,
      @JsonProperty("createdAt") Instant createdAt,
      @JsonProperty("updatedAt") Instant updatedAt,
      @JsonProperty("rowsWritten") long rowsWritten,
      @JsonProperty("leaseExpiresAt") Instant leaseExpiresAt,
      @JsonProperty("retryAt") Instant retryAt,
      @JsonProperty("rowCount") Long rowCount,
      @JsonProperty("expiresAt") Instant expiresAt,
      @JsonProperty("errorCode") String errorCode,
      @JsonProperty("error") String error,
      @JsonProperty("manifest") ManifestView manifest) {

    static JobView from(ExportJob job) {
      ExportSpec spec = job.spec();
      return new JobView(job.jobId(), job.orgId(), job.status().wireName(), kindName(spec.kind()),
          spec.granularity().wireName(), spec.compression().wireName(),
          Map.of("start", spec.start(), "end", spec.end()), job.requestedBy(), job.attempts(), job.maxAttempts(),
          job.createdAt(), job.updatedAt(), job.rowsWritten(),
          job.lease().map(ExportLease::expiresAt).orElse(null), job.retryAt().orElse(null),
          job.rowCount().orElse(null), job.expiresAt().orElse(null),
          job.failure().map(f -> f.reason().code()).orElse(null),
          job.failure().map(ExportFailure::message).orElse(null),
          job.result().map(r -> ManifestView.from(r.manifest())).orElse(null));
    }
  }

  /** The manifest as the job shows it: the same fields as {@code <key>.manifest.json}. */
  record ManifestView(
      @JsonProperty("objectKey") String objectKey,
      @JsonProperty("fileName") String fileName,
      @JsonProperty("contentType") String contentType,
      @JsonProperty("compression") String compression,
      @JsonProperty("rows") long rows,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("columns") List<String> columns,
      @JsonProperty("query") Map<String, Object> query,
      @JsonProperty("asOf") Instant asOf,
      @JsonProperty("generatedAt") Instant generatedAt,
      @JsonProperty("tallyVersion") String tallyVersion) {

    static ManifestView from(ExportManifest m) {
      Map<String, Object> query = new java.util.LinkedHashMap<>();
      query.put("orgId", m.query().orgId());
      query.put("kind", kindName(m.query().kind()));
      query.put("start", m.query().start());
      query.put("end", m.query().end());
      query.put("granularity", m.query().granularity().wireName());
      return new ManifestView(m.objectKey(), m.fileName(), m.contentType(), m.compression().wireName(), m.rows(),
          m.bytes(), m.sha256(), m.columns(), query, m.asOf().orElse(null), m.generatedAt(), m.tallyVersion());
    }
  }

  private static String kindName(ExportKind kind) {
    return kind == ExportKind.RAW_EVENTS ? "raw" : "usage";
  }

  /** Answer of {@code GET …/exports}. */
  record JobList(@JsonProperty("jobs") List<JobView> jobs, @JsonProperty("nextCursor") String nextCursor) {
    static JobList from(ExportJobPage page) {
      return new JobList(page.jobs().stream().map(JobView::from).toList(), page.nextCursor().orElse(null));
    }
  }
}
