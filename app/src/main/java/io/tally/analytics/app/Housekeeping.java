package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.tally.analytics.adapter.postgres.PostgresAuditLog;
import io.tally.analytics.adapter.postgres.PostgresRetention;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data retention, every {@code RETENTION_INTERVAL} on one background thread: raw-event days older than
 * {@code RETENTION_RAW_DAYS} are dropped (rollups stay), dead letters older than {@code RETENTION_DEAD_LETTERS_DAYS}
 * deleted, and audit records older than {@code RETENTION_AUDIT_DAYS} archived into segments behind a checkpoint.
 * Each step is counted ({@code analytics_retention_*}) and {@code tally verify} reports where each one stands.
 * Exported files are not handled here: they are deleted when their export job expires (the export worker's job).
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private static final int AUDIT_SEGMENT_RECORDS = 100_000;
  private static final Duration FIRST_RUN = Duration.ofSeconds(5);

  /** What one run did. */
  record Report(int rawDaysDropped, long keysDeleted, long deadLettersDeleted, long auditRecordsArchived) {}

  private final PostgresRetention retention;
  private final PostgresAuditLog audit;
  private final AuditSegments segments;
  private final TallyConfig.Retention config;
  private final TimeSource time;
  private final Tracing tracing;
  private final Counter rawDays;
  private final Counter deadLetters;
  private final Counter auditRecords;
  private final Counter succeeded;
  private final Counter failed;
  private final AtomicLong lastSuccess = new AtomicLong();
  private final ScheduledExecutorService executor = BackgroundThread.named("tally-housekeeping");

  Housekeeping(PostgresRetention retention, PostgresAuditLog audit, AuditSegments segments,
      TallyConfig.Retention config, TimeSource time, MeterRegistry registry, Tracing tracing) {
    this.retention = retention;
    this.audit = audit;
    this.segments = segments;
    this.config = config;
    this.time = time;
    this.tracing = tracing;
    this.rawDays = Counter.builder("analytics_retention_raw_days_dropped")
        .description("Whole days of raw events (partition, dedup keys, conflicts) dropped past RETENTION_RAW_DAYS")
        .register(registry);
    this.deadLetters = Counter.builder("analytics_retention_dead_letters_deleted")
        .description("Dead letters deleted past RETENTION_DEAD_LETTERS_DAYS").register(registry);
    this.auditRecords = Counter.builder("analytics_retention_audit_records_archived")
        .description("Audit records moved into archive segments past RETENTION_AUDIT_DAYS").register(registry);
    this.succeeded = runs(registry, "success");
    this.failed = runs(registry, "failure");
    Gauge.builder("analytics_retention_last_success_timestamp", lastSuccess, AtomicLong::get)
        .description("Unix time of the last housekeeping run that completed").register(registry);
  }

  private static Counter runs(MeterRegistry registry, String outcome) {
    return Counter.builder("analytics_retention_runs").description("Housekeeping runs by outcome")
        .tags("outcome", outcome).register(registry);
  }

  /** @return the first UTC day whose raw events are kept */
  static LocalDate firstKeptRawDay(Instant now, int rawDays) {
    return now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(rawDays);
  }

  void start() {
    executor.scheduleWithFixedDelay(this::runSafely, FIRST_RUN.toMillis(), config.interval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Runs every step now on the caller's thread; failures propagate. */
  Report runOnce() {
    Instant now = time.now();
    PostgresRetention.RawDropped raw = retention.dropRawBefore(firstKeptRawDay(now, config.rawDays()));
    rawDays.increment(raw.days().size());
    long letters = retention.deleteDeadLettersBefore(now.minus(Duration.ofDays(config.deadLetterDays())));
    deadLetters.increment(letters);
    long archived = 0;
    Optional<PostgresAuditLog.Checkpoint> checkpoint;
    do {
      checkpoint = audit.archiveBefore(now.minus(Duration.ofDays(config.auditDays())), AUDIT_SEGMENT_RECORDS, now,
          segments);
      if (checkpoint.isPresent()) {
        archived += checkpoint.get().end().sequence() - checkpoint.get().firstSequence() + 1;
      }
    } while (checkpoint.isPresent());
    auditRecords.increment(archived);
    lastSuccess.set(now.getEpochSecond());
    return new Report(raw.days().size(), raw.keys(), letters, archived);
  }

  private void runSafely() {
    try {
      Report r = tracing.inSpan("housekeeping", SpanKind.INTERNAL, Attributes.empty(), this::runOnce);
      succeeded.increment();
      if (r.rawDaysDropped() + r.deadLettersDeleted() + r.auditRecordsArchived() > 0) {
        LOG.atInfo().addKeyValue("raw_days_dropped", r.rawDaysDropped()).addKeyValue("keys_deleted", r.keysDeleted())
            .addKeyValue("dead_letters_deleted", r.deadLettersDeleted())
            .addKeyValue("audit_records_archived", r.auditRecordsArchived()).log("housekeeping");
      }
    } catch (Exception e) {
      failed.increment();
      LOG.warn("housekeeping failed; retrying at the next interval", e);
    }
  }

  @Override
  public void close() {
    BackgroundThread.stop(executor);
  }
}
