package io.tally.analytics.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import java.util.function.Function;

/**
 * Stream consumer meters, read from the consumer's status and the sink's totals at scrape time (no counting of
 * our own, so the numbers cannot drift from what was committed). Lag is NaN until both offsets are known.
 */
final class StreamMetrics {
  private StreamMetrics() {}

  /**
   * Micrometer holds each meter's state object weakly, so the owners must be objects the application keeps
   * anyway (the consumer, the sink). A fresh lambda or method reference as the state object is collected at the
   * next garbage collection, and from then on the meters read NaN.
   */
  static <S, T> void register(MeterRegistry registry, S statusOwner, Function<S, ConsumerStatus> status,
      T totalsOwner, Function<T, IngestTotals> totals) {
    Gauge.builder("analytics_stream_consumer_lag", statusOwner, o -> {
      ConsumerStatus now = status.apply(o);
      return now.lag().isPresent() ? now.lag().getAsLong() : Double.NaN;
    }).description("Stream messages after the committed offset").register(registry);
    Gauge.builder("analytics_stream_consumer_up", statusOwner,
        o -> status.apply(o).state() == io.tally.analytics.adapter.rabbitmq.ConsumerState.RUNNING ? 1 : 0)
        .description("1 when the stream consumer is subscribed and committing").register(registry);
    FunctionCounter.builder("analytics_stream_ingested_events", totalsOwner, o -> totals.apply(o).accepted())
        .description("Events from the stream stored as new").register(registry);
    FunctionCounter.builder("analytics_stream_dead_letters", totalsOwner, o -> totals.apply(o).deadLettered())
        .description("Stream messages sent to the dead-letter store").register(registry);
    FunctionCounter.builder("analytics_stream_batches", totalsOwner, o -> totals.apply(o).batches())
        .description("Stream batches committed").register(registry);
  }
}
