package io.tally.analytics.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import io.tally.analytics.adapter.rabbitmq.StreamBatchSink;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stream consumer meters, read from the consumer's status and the sink's totals at scrape time (no counting of
 * our own, so the numbers cannot drift from what was committed). Lag is NaN until both offsets are known.
 *
 * <p>Every meter holds its supplier strongly: Micrometer keeps a gauge's object weakly by default, and the
 * suppliers passed here are method references nothing else keeps, so after a garbage collection the meters
 * read NaN and 0 (seen in a test run).
 */
final class StreamMetrics {
  private StreamMetrics() {}

  static void register(MeterRegistry registry, Supplier<ConsumerStatus> status, Supplier<IngestTotals> totals) {
    Sources sources = new Sources(status, totals);
    Gauge.builder("analytics_stream_consumer_lag", sources, s -> {
      ConsumerStatus now = s.status().get();
      return now.lag().isPresent() ? now.lag().getAsLong() : Double.NaN;
    }).strongReference(true).description("Stream messages after the committed offset").register(registry);
    Gauge.builder("analytics_stream_consumer_up", sources,
        s -> s.status().get().state() == ConsumerState.RUNNING ? 1 : 0)
        .strongReference(true).description("1 when the stream consumer is subscribed and committing")
        .register(registry);
    // FunctionCounter has no strongReference option; the gauges above keep the same object alive.
    FunctionCounter.builder("analytics_stream_ingested_events", sources, s -> s.totals().get().accepted())
        .description("Events from the stream stored as new").register(registry);
    FunctionCounter.builder("analytics_stream_dead_letters", sources, s -> s.totals().get().deadLettered())
        .description("Stream messages sent to the dead-letter store").register(registry);
    FunctionCounter.builder("analytics_stream_batches", sources, s -> s.totals().get().batches())
        .description("Stream batches committed").register(registry);
  }

  private record Sources(Supplier<ConsumerStatus> status, Supplier<IngestTotals> totals) {}

  /**
   * @return {@code sink}, timing each successful batch commit as {@code analytics_stream_batch_duration_seconds}
   *     (failed attempts are retried and show up in the consumer's failure count instead)
   */
  static StreamBatchSink timed(MeterRegistry registry, StreamBatchSink sink) {
    Timer timer = Timer.builder("analytics_stream_batch_duration_seconds")
        .description("Time to validate, store and commit one stream batch with its offset")
        .publishPercentiles(0.5, 0.99).register(registry);
    return batch -> {
      long start = System.nanoTime();
      sink.accept(batch);
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    };
  }
}
