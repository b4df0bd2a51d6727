package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamMetricsTest {
  @Test
  void metersReadTheCurrentStatusAndTotals() {
    AtomicReference<ConsumerStatus> status = new AtomicReference<>(new ConsumerStatus(ConsumerState.STARTING,
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), 0, 0, 0, 0, 0));
    AtomicReference<IngestTotals> totals = new AtomicReference<>(new IngestTotals(0, 0, 0, 0, 0, 0, 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StreamMetrics.register(registry, status, AtomicReference::get, totals, AtomicReference::get);

    assertThat(registry.get("analytics_stream_consumer_lag").gauge().value()).isNaN();
    assertThat(registry.get("analytics_stream_consumer_up").gauge().value()).isZero();

    status.set(new ConsumerStatus(ConsumerState.RUNNING, OptionalLong.of(90), OptionalLong.of(120),
        OptionalLong.of(30), 0, 91, 3, 0, 1));
    totals.set(new IngestTotals(3, 80, 4, 1, 5, 2, 0));
    assertThat(registry.get("analytics_stream_consumer_lag").gauge().value()).isEqualTo(30);
    assertThat(registry.get("analytics_stream_consumer_up").gauge().value()).isEqualTo(1);
    assertThat(registry.get("analytics_stream_ingested_events").functionCounter().count()).isEqualTo(80);
    assertThat(registry.get("analytics_stream_dead_letters").functionCounter().count()).isEqualTo(7);
    assertThat(registry.get("analytics_stream_batches").functionCounter().count()).isEqualTo(3);
  }

  @Test
  void metersStillReadAfterGarbageCollection() {
    // Meters hold their state object weakly; the owners here are held by the test, as the app holds the
    // consumer and the sink. Fresh method references as owners would read NaN after a collection.
    AtomicReference<ConsumerStatus> status = new AtomicReference<>(new ConsumerStatus(ConsumerState.RUNNING,
        OptionalLong.of(5), OptionalLong.of(7), OptionalLong.of(2), 0, 6, 1, 0, 1));
    AtomicReference<IngestTotals> totals = new AtomicReference<>(new IngestTotals(1, 42, 0, 0, 0, 0, 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StreamMetrics.register(registry, status, AtomicReference::get, totals, AtomicReference::get);

    for (int i = 0; i < 3; i++) {
      System.gc();
    }

    assertThat(registry.get("analytics_stream_ingested_events").functionCounter().count()).isEqualTo(42);
    assertThat(registry.get("analytics_stream_consumer_lag").gauge().value()).isEqualTo(2);
  }
}
