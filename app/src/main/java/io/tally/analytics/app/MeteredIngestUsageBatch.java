package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.analytics.ports.in.IngestUsageBatch;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The ingest use case with the original service's ingestion meters around it, one decorator per path
 * ({@code source} label {@code http} or {@code stream}):
 * {@code analytics_ingestion_events_total{source,outcome}} (outcome accepted, duplicate, conflict, rejected; a
 * stream message the sink could not even parse counts as rejected, it is a dead letter like any other),
 * {@code analytics_ingestion_dedupe_conflicts_total{source}} and
 * {@code analytics_ingestion_batch_duration_seconds{source}}. Every series is registered at zero when the path is
 * wired, so a rate over it exists before the first event.
 */
final class MeteredIngestUsageBatch implements IngestUsageBatch {
  /** Batch-duration bucket bounds: a stream batch of 5,000 commits in 0.1-1 s, an HTTP batch in milliseconds. */
  private static final Duration[] BATCH_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private final IngestUsageBatch delegate;
  private final Map<EventStatus, Counter> events = new EnumMap<>(EventStatus.class);
  private final Counter conflicts;
  private final Timer batches;

  /**
   * @param delegate the use case
   * @param source {@code http} or {@code stream}
   * @param registry where the meters live
   */
  MeteredIngestUsageBatch(IngestUsageBatch delegate, String source, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    for (EventStatus status : EventStatus.values()) {
      events.put(status, Counter.builder("analytics_ingestion_events")
          .description("Usage events ingested, by path and outcome")
          .tags("source", source, "outcome", status.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    this.conflicts = Counter.builder("analytics_ingestion_dedupe_conflicts")
        .description("Redeliveries of a stored (orgId, eventId) with a different payload (first write wins)")
        .tags("source", source).register(registry);
    this.batches = Timer.builder("analytics_ingestion_batch_duration_seconds")
        .description("Time to validate, deduplicate and commit one ingestion batch")
        .tags("source", source).serviceLevelObjectives(BATCH_BUCKETS).register(registry);
  }

  @Override
  public IngestReport ingest(IngestCommand command) {
    long started = System.nanoTime();
    return counted(command, delegate.ingest(command), started);
  }

  /**
   * A stream batch is checked ahead, while the batch before it commits; its duration is then the commit's
   * (authorize, deduplicate, append), the part that holds up the stream.
   */
  @Override
  public Prepared prepare(IngestCommand command) {
    Prepared prepared = delegate.prepare(command);
    return () -> {
      long started = System.nanoTime();
      return counted(command, prepared.commit(), started);
    };
  }

  private IngestReport counted(IngestCommand command, IngestReport report, long started) {
    batches.record(Duration.ofNanos(System.nanoTime() - started));
    events.get(EventStatus.ACCEPTED).increment(report.accepted());
    events.get(EventStatus.DUPLICATE).increment(report.duplicates());
    events.get(EventStatus.CONFLICT).increment(report.conflicts());
    events.get(EventStatus.REJECTED).increment(report.rejected() + command.deadLetters().size());
    conflicts.increment(report.conflicts());
    return report;
  }
}
