package io.tally.analytics.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.ports.out.UnpricedEventCounter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code analytics_ingestion_unpriced_events_total{model}}: events accepted without a cost and without a price in
 * force, per model, over HTTP and the stream alike (both go through the one ingest use case). A model's series
 * appears with its first unpriced event; the alert rule in {@code docs/prometheus/alerts.yml} therefore also
 * fires on a series that is new, not only on one that grew.
 */
final class UnpricedEventMetrics implements UnpricedEventCounter {
  private final Map<String, LongAdder> byModel = new ConcurrentHashMap<>();
  private volatile Optional<MeterRegistry> registry = Optional.empty();

  /** @param meters the registry to expose the counters on, including those already counted */
  synchronized void bindTo(MeterRegistry meters) {
    registry = Optional.of(meters);
    byModel.forEach((model, adder) -> register(meters, model, adder));
  }

  @Override
  public void unpriced(String modelId, long count) {
    byModel.computeIfAbsent(modelId, this::newCounter).add(count);
  }

  /** @return events counted for the model so far */
  long count(String modelId) {
    LongAdder adder = byModel.get(modelId);
    return adder == null ? 0 : adder.sum();
  }

  private synchronized LongAdder newCounter(String modelId) {
    LongAdder adder = new LongAdder();
    registry.ifPresent(r -> register(r, modelId, adder));
    return adder;
  }

  private static void register(MeterRegistry registry, String modelId, LongAdder adder) {
    // Micrometer appends _total to counters: exposed as analytics_ingestion_unpriced_events_total.
    FunctionCounter.builder("analytics.ingestion.unpriced.events", adder, LongAdder::sum)
        .description("Usage events accepted without costMicros and without a price in force, per model")
        .tag("model", modelId).register(registry);
  }
}
