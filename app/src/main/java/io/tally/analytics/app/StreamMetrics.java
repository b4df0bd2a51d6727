package io.tally.analytics.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import java.util.function.Supplier;

/**
 * Stream consumer meters, read from the consumer's status and the sink's totals at scrape time (no counting of
 * our own, so the numbers cannot drift from what was committed). Lag is NaN until both offsets are known.
 */
final class StreamMetrics {
  private StreamMetrics() {}

  static void register(MeterRegistry registry, Supplier<ConsumerStatus> status, Supplier<IngestTotals> totals) {
    Gauge.builder("analytics_stream_consumer_lag", status, s -> {
      ConsumerStatus now = s.get();
      return now.lag().isPresent() ? now.lag().getAsLong() : Double.NaN;
    }).description("Stream messages after the committed offset").register(registry);
    Gauge.builder("analytics_stream_consumer_up", status,
        s -> s.get().state() == io.tally.analytics.adapter.rabbitmq.ConsumerState.RUNNING ? 1 : 0)
        .description("1 when the stream consumer is subscribed and committing").register(registry);
    FunctionCounter.builder("analytics_stream_ingested_events", totals, t -> t.get().accepted())
        .description("Events from the stream stored as new").register(registry);
    FunctionCounter.builder("analytics_stream_dead_letters", totals, t -> t.get().deadLettered())
        .description("Stream messages sent to the dead-letter store").register(registry);
    FunctionCounter.builder("analytics_stream_batches", totals, t -> t.get().batches())
        .description("Stream batches committed").register(registry);
  }
}
