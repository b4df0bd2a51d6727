package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.adapter.rabbitmq.IngestTotals;
import io.tally.analytics.adapter.rabbitmq.StreamBatch;
import io.tally.analytics.adapter.rabbitmq.StreamBatchSink;
import io.tally.analytics.adapter.rabbitmq.StreamMessage;
import java.util.List;
import java.util.Optional;
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
    StreamMetrics.register(registry, status::get, totals::get);

    assertThat(registry.get("analytics_stream_consumer_lag").gauge().value()).isZero();
    assertThat(registry.get("analytics_stream_consumer_lag_seconds").gauge().value()).isZero();
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
  void metersKeepReadingAfterTheSuppliersAreOnlyHeldByTheRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registerWithThrowawaySuppliers(registry);
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    assertThat(registry.get("analytics_stream_consumer_up").gauge().value()).isEqualTo(1);
    assertThat(registry.get("analytics_stream_batches").functionCounter().count()).isEqualTo(3);
  }

  private static void registerWithThrowawaySuppliers(SimpleMeterRegistry registry) {
    ConsumerStatus running = new ConsumerStatus(ConsumerState.RUNNING, OptionalLong.of(1), OptionalLong.of(1),
        OptionalLong.of(0), 0, 2, 3, 0, 1);
    IngestTotals totals = new IngestTotals(3, 80, 4, 1, 5, 2, 0);
    StreamMetrics.register(registry, () -> running, () -> totals);
  }

  @Test
  void timedSinkRecordsSuccessfulBatchesOnly() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicReference<Boolean> fail = new AtomicReference<>(false);
    StreamBatchSink timed = StreamMetrics.timed(registry, batch -> {
      if (fail.get()) {
        throw new IllegalStateException("database down");
      }
    });
    StreamBatch batch = new StreamBatch("s", "c", 0, 0, List.of(new StreamMessage(0, new byte[0], Optional.empty(), 0)));
    timed.accept(batch);
    fail.set(true);
    assertThatThrownBy(() -> timed.accept(batch)).hasMessage("database down");
    assertThat(registry.get("analytics_stream_batch_duration_seconds").timer().count()).isEqualTo(1);
  }
}
