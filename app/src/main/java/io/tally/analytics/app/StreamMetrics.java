package io.tally.analytics.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import io.tally.analytics.adapter.rabbitmq.StreamBatchSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stream consumer meters, read from the consumer's status and the sink's totals at scrape time (no counting of
 * our own, so the numbers cannot drift from what was committed). They are registered when {@code serve} wires
 * stream ingestion, before the consumer exists (it may wait for the broker), and read zero until one is
 * {@linkplain #attach attached}: every series an alert uses exists from the start.
 *
 * <p>The registry holds this object strongly (gauges with {@code strongReference}): Micrometer keeps a gauge's
 * object weakly by default, and after a garbage collection such meters read NaN and 0 (seen in a test run).
 */
final class StreamMetrics {
  private static final ConsumerStatus NOT_STARTED = new ConsumerStatus(ConsumerState.STARTING, OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), 0, 0, 0, 0, 0);
  private static final IngestTotals NONE = new IngestTotals(0, 0, 0, 0, 0, 0, 0);

  private final long createdAtMillis = System.currentTimeMillis();
  private volatile Supplier<ConsumerStatus> status = () -> NOT_STARTED;
  private volatile Supplier<IngestTotals> totals = () -> NONE;
  private volatile Supplier<Optional<Instant>> lastCommittedAt = Optional::empty;
  private volatile long attachedAtMillis = createdAtMillis;

  private StreamMetrics() {}

  /** Registers every stream meter at zero. */
  static StreamMetrics register(MeterRegistry registry) {
    StreamMetrics m = new StreamMetrics();
    Gauge.builder("analytics_stream_consumer_lag", m, s -> s.status.get().lag().orElse(0))
        .strongReference(true).description("Stream messages after the committed offset (0 until the tail is known)")
        .register(registry);
    Gauge.builder("analytics_stream_consumer_lag_seconds", m, StreamMetrics::lagSeconds).strongReference(true)
        .description("How far behind in time the consumer is: age of the last committed message while more wait")
        .register(registry);
    Gauge.builder("analytics_stream_consumer_up", m,
        s -> s.status.get().state() == ConsumerState.RUNNING ? 1 : 0)
        .strongReference(true).description("1 when the stream consumer is subscribed and committing")
        .register(registry);
    // FunctionCounter has no strongReference option; the gauges above keep the same object alive.
    FunctionCounter.builder("analytics_stream_ingested_events", m, s -> s.totals.get().accepted())
        .description("Events from the stream stored as new").register(registry);
    FunctionCounter.builder("analytics_stream_dead_letters", m, s -> s.totals.get().deadLettered())
        .description("Stream messages sent to the dead-letter store").register(registry);
    FunctionCounter.builder("analytics_stream_batches", m, s -> s.totals.get().batches())
        .description("Stream batches committed").register(registry);
    batchTimer(registry);
    return m;
  }

  /** Registers the meters and attaches them to one consumer at once (tests, benchmarks). */
  static StreamMetrics register(MeterRegistry registry, Supplier<ConsumerStatus> status, Supplier<IngestTotals> totals) {
    StreamMetrics m = register(registry);
    m.attach(status, totals, Optional::empty);
    return m;
  }

  /**
   * @param consumerStatus the running consumer's status
   * @param sinkTotals what its sink has stored
   * @param committedAt when the broker stored the last committed message
   */
  void attach(Supplier<ConsumerStatus> consumerStatus, Supplier<IngestTotals> sinkTotals,
      Supplier<Optional<Instant>> committedAt) {
    this.attachedAtMillis = System.currentTimeMillis();
    this.lastCommittedAt = committedAt;
    this.totals = sinkTotals;
    this.status = consumerStatus;
  }

  /**
   * 0 when nothing waits; otherwise the age of the last committed message, or, before the first commit, how long
   * the consumer has been at it (a lower bound: it has not stored anything yet).
   */
  private double lagSeconds() {
    OptionalLong lag = status.get().lag();
    if (lag.isEmpty() || lag.getAsLong() == 0) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long since = lastCommittedAt.get().map(Instant::toEpochMilli).orElse(attachedAtMillis);
    return Math.max(0, now - since) / 1000.0;
  }

  private static Timer batchTimer(MeterRegistry registry) {
    return Timer.builder("analytics_stream_batch_duration_seconds")
        .description("Time to validate, store and commit one stream batch with its offset")
        .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
        .register(registry);
  }

  /**
   * @return {@code sink}, timing each successful batch commit as {@code analytics_stream_batch_duration_seconds}
   *     (failed attempts are retried and show up in the consumer's failure count instead)
   */
  static StreamBatchSink timed(MeterRegistry registry, StreamBatchSink sink) {
    Timer timer = batchTimer(registry);
    return sink.aroundCommit((batch, commit) -> {
      long start = System.nanoTime();
      commit.commit();
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    });
  }
}
