package io.tally.analytics.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.adapter.rabbitmq.IngestingBatchSink;
import io.tally.analytics.adapter.rabbitmq.StoreOffsetSource;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ stream consumer, started only when {@code RABBITMQ_URL} uses the stream protocol
 * ({@code rabbitmq-stream://…:5552}); an AMQP URL is only probed by {@code readyz}. Offsets resume from the
 * database, where each batch's rows and last offset commit together.
 */
final class StreamIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(StreamIngestion.class);

  static final Duration START_RETRY_MIN = Duration.ofSeconds(1);
  static final Duration START_RETRY_MAX = Duration.ofSeconds(30);

  private StreamIngestion() {}

  /** @return whether {@code RABBITMQ_URL} asks for stream ingestion */
  static boolean configured(TallyConfig config) {
    return config.services().rabbitmqUrl().filter(u -> u.value().startsWith("rabbitmq-stream")).isPresent();
  }

  /**
   * @return a starter for the consumer, or empty when no stream URL is configured; the starter retries in the
   *     background while the broker is unreachable
   */
  static Optional<StreamStarter> starter(TallyConfig config, TallyServices services, TimeSource time,
      MeterRegistry registry, Consumer<StreamUsageConsumer> onStarted,
      Consumer<String> onWaiting) {
    if (!configured(config)) {
      config.services().rabbitmqUrl().ifPresent(u -> LOG.warn("RABBITMQ_URL is not a rabbitmq-stream:// URL; "
          + "stream ingestion is off (ingest over HTTP)"));
      return Optional.empty();
    }
    StreamSettings settings = settings(config).build();
    return Optional.of(new StreamStarter(() -> start(settings, services, time, registry), onStarted, onWaiting,
        START_RETRY_MIN, START_RETRY_MAX));
  }

  /** Starts the consumer with explicit settings over the server's ingest use case (benchmarks tune the batch). */
  static StreamUsageConsumer start(StreamSettings settings, TallyServices services, TimeSource time,
      MeterRegistry registry) {
    StoreOffsetSource offsets = new StoreOffsetSource(services.usageEvents());
    IngestingBatchSink sink = new IngestingBatchSink(services.ingest(), offsets, time,
        SystemActor.get());
    LOG.atInfo().addKeyValue("stream", settings.stream()).addKeyValue("consumer", settings.consumerName())
        .addKeyValue("batch_size", settings.batchSize()).addKeyValue("batch_max_wait_ms", settings.maxWait().toMillis())
        .log("starting stream ingestion");
    StreamUsageConsumer consumer = StreamUsageConsumer.builder(settings, offsets,
        StreamMetrics.timed(registry, sink)).start();
    StreamMetrics.register(registry, consumer::status, sink::totals);
    return consumer;
  }

  /**
   * @return the consumer settings {@code serve} uses (URL, stream, consumer and batching from the
   *     configuration), still open to changes: benchmarks tune the batch
   */
  static StreamSettings.Builder settings(TallyConfig config) {
    TallyConfig.StreamBatching batching = config.services().rabbitmqBatching();
    return StreamSettings.builder()
        .uri(config.services().rabbitmqUrl().map(ServiceUrl::value).orElseThrow())
        .stream(config.services().rabbitmqStream()).consumerName(config.services().rabbitmqConsumer())
        .batchSize(batching.size()).maxWait(batching.maxWait());
  }
}
