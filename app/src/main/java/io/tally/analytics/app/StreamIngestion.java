package io.tally.analytics.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.adapter.rabbitmq.IngestingBatchSink;
import io.tally.analytics.adapter.rabbitmq.StoreOffsetSource;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ stream consumer, started only when {@code RABBITMQ_URL} uses the stream protocol
 * ({@code rabbitmq-stream://…:5552}); an AMQP URL is only probed by {@code readyz}. Offsets resume from the
 * database, where each batch's rows and last offset commit together.
 */
final class StreamIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(StreamIngestion.class);

  private StreamIngestion() {}

  /** @return whether {@code RABBITMQ_URL} asks for stream ingestion */
  static boolean configured(TallyConfig config) {
    return config.services().rabbitmqUrl().filter(u -> u.value().startsWith("rabbitmq-stream")).isPresent();
  }

  /** @return the running consumer, or empty when no stream URL is configured */
  static Optional<StreamUsageConsumer> start(TallyConfig config, TallyServices services, TimeSource time,
      MeterRegistry registry) {
    Optional<ServiceUrl> url = config.services().rabbitmqUrl().filter(u -> configured(config));
    if (url.isEmpty()) {
      config.services().rabbitmqUrl().ifPresent(u -> LOG.warn("RABBITMQ_URL is not a rabbitmq-stream:// URL; "
          + "stream ingestion is off (ingest over HTTP)"));
      return Optional.empty();
    }
    StreamSettings settings = settings(config, url.get());
    StoreOffsetSource offsets = new StoreOffsetSource(services.usageEvents());
    IngestingBatchSink sink = new IngestingBatchSink(services.ingest(), offsets, time,
        SystemActor.get());
    LOG.atInfo().addKeyValue("stream", settings.stream()).addKeyValue("consumer", settings.consumerName())
        .addKeyValue("batch_size", settings.batchSize()).addKeyValue("batch_max_wait_ms", settings.maxWait().toMillis())
        .log("starting stream ingestion");
    StreamUsageConsumer consumer = StreamUsageConsumer.builder(settings, offsets,
        StreamMetrics.timed(registry, sink)).start();
    StreamMetrics.register(registry, consumer::status, sink::totals);
    return Optional.of(consumer);
  }

  static StreamSettings settings(TallyConfig config, ServiceUrl url) {
    TallyConfig.StreamBatching batching = config.services().rabbitmqBatching();
    return StreamSettings.builder().uri(url.value())
        .stream(config.services().rabbitmqStream()).consumerName(config.services().rabbitmqConsumer())
        .batchSize(batching.size()).maxWait(batching.maxWait()).build();
  }
}
