package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The export metrics of DESIGN §1.4, every series registered at zero from start so an alert never waits on an
 * absent one:
 * <ul>
 *   <li>{@code analytics_export_jobs_total{kind,status}}: jobs created ({@code pending}), finished
 *       ({@code succeeded}, {@code failed}, {@code cancelled}) and attempts sent back for a retry
 *       ({@code retrying});
 *   <li>{@code analytics_export_jobs_failed_total{reason}}: jobs that ended FAILED, by reason code (what the
 *       "export failed twice in 60 min" alert counts);
 *   <li>{@code analytics_export_csv_generation_duration_seconds{kind}}: one run, from claim to commit.
 * </ul>
 */
final class ExportMetrics {
  static final List<String> STATUSES = List.of("pending", "succeeded", "failed", "cancelled", "retrying");

  private final Map<String, Counter> jobs = new HashMap<>();
  private final Map<ExportFailureReason, Counter> failed = new EnumMap<>(ExportFailureReason.class);
  private final Map<ExportKind, Timer> generation = new EnumMap<>(ExportKind.class);

  ExportMetrics(MeterRegistry registry) {
    for (ExportKind kind : ExportKind.values()) {
      for (String status : STATUSES) {
        jobs.put(kind + status, Counter.builder("analytics_export_jobs_total")
            .description("Export jobs by kind and status (pending = created, retrying = attempt sent back)")
            .tag("kind", kindName(kind)).tag("status", status).register(registry));
      }
      generation.put(kind, Timer.builder("analytics_export_csv_generation_duration_seconds")
          .description("One export run: read, CSV, upload, manifest, commit").tag("kind", kindName(kind))
          // Buckets, not a client-side summary: the usage dashboard reads its p95 with histogram_quantile.
          .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(10))
          .maximumExpectedValue(java.time.Duration.ofMinutes(30))
          .register(registry));
    }
    for (ExportFailureReason reason : ExportFailureReason.values()) {
      failed.put(reason, Counter.builder("analytics_export_jobs_failed_total")
          .description("Export jobs that ended FAILED, by reason code").tag("reason", reason.code())
          .register(registry));
    }
  }

  void job(ExportJob job, String status) {
    jobs.get(job.spec().kind() + status).increment();
  }

  void failed(ExportJob job, ExportFailureReason reason) {
    job(job, "failed");
    failed.get(reason).increment();
  }

  void generation(ExportKind kind, Duration took) {
    generation.get(kind).record(took);
  }

  static String kindName(ExportKind kind) {
    return kind == ExportKind.RAW_EVENTS ? "raw" : "usage";
  }
}
