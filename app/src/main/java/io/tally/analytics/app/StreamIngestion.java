package io.tally.analytics.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.tally.analytics.adapter.rabbitmq.IngestingBatchSink;
import io.tally.analytics.adapter.rabbitmq.StoreOffsetSource;
import io.tally.analytics.adapter.rabbitmq.StreamBatchSink;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ stream consumer, started when {@code RABBITMQ_URL} is set: a {@code rabbitmq-stream://…:5552}
 * URL, or the original service's {@code amqp://user:pass@host:5672/vhost} whose stream endpoint is derived
 * ({@code RABBITMQ_STREAM_PORT}, default 5552). Offsets resume from the database, where each batch's rows and last
 * offset commit together.
 */
final class StreamIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(StreamIngestion.class);

  static final Duration START_RETRY_MIN = Duration.ofSeconds(1);
  static final Duration START_RETRY_MAX = Duration.ofSeconds(30);

  private StreamIngestion() {}

  /**
   * @return whether {@code RABBITMQ_URL} asks for stream ingestion: a stream URL, or an AMQP URL whose stream
   *     endpoint is derived ({@link StreamUrl})
   */
  static boolean configured(TallyConfig config) {
    return streamUrl(config).isPresent();
  }

  /** @return the URL the consumer connects to */
  static Optional<ServiceUrl> streamUrl(TallyConfig config) {
    return config.services().rabbitmqUrl().flatMap(u -> StreamUrl.of(u, config.operations().rabbitmqStreamPort()));
  }

  /**
   * @return a starter for the consumer, or empty when no stream URL is configured; the starter retries in the
   *     background while the broker is unreachable
   */
  static Optional<StreamStarter> starter(TallyConfig config, TallyServices services, TimeSource time,
      MeterRegistry registry, Consumer<StreamUsageConsumer> onStarted,
      Consumer<String> onWaiting) {
    return starter(config, services.ingest(), services, time, registry, Tracing.off(), onStarted, onWaiting);
  }

  /** As above, with the ingest use case the stream feeds (the server's decorated one). */
  static Optional<StreamStarter> starter(TallyConfig config, IngestUsageBatch ingest, TallyServices services,
      TimeSource time, MeterRegistry registry, Tracing tracing, Consumer<StreamUsageConsumer> onStarted,
      Consumer<String> onWaiting) {
    return starters(config, ingest, services, time, registry, tracing, onStarted, onWaiting)
        .map(starters -> starters.apply(Optional.empty()));
  }

  /**
   * As above, but a new starter each time one is asked for (the stream lease starts one each time this instance
   * takes the lease, with the lease's token: its batches commit only while that token is the lease's); the meters
   * are registered once and follow the latest consumer.
   */
  static Optional<Function<Optional<StreamLeaseToken>, StreamStarter>> starters(TallyConfig config, IngestUsageBatch ingest,
      TallyServices services, TimeSource time, MeterRegistry registry, Tracing tracing,
      Consumer<StreamUsageConsumer> onStarted, Consumer<String> onWaiting) {
    if (!configured(config)) {
      return Optional.empty();
    }
    StreamSettings settings = settings(config).build();
    // Registered now, at zero: the consumer may wait for the broker, and its series must exist meanwhile.
    StreamMetrics meters = StreamMetrics.register(registry);
    IngestUsageBatch metered = tracedCommits(new MeteredIngestUsageBatch(ingest, "stream", registry), tracing);
    return Optional.of(lease -> new StreamStarter(() -> start(settings, metered, services, time, registry, meters,
        tracing, lease), onStarted, onWaiting, START_RETRY_MIN, START_RETRY_MAX));
  }

  /**
   * @return the stream consumer behind the database lease (one instance consumes at a time), started: it consumes
   *     at once when no other instance holds the lease
   */
  static Optional<StreamLeaseHolder> leased(TallyConfig config, IngestUsageBatch ingest, TallyServices services,
      TimeSource time, MeterRegistry registry, Tracing tracing, Consumer<StreamUsageConsumer> onStarted,
      Consumer<String> onWaiting) {
    return starters(config, ingest, services, time, registry, tracing, onStarted, onWaiting)
        .map(starters -> new StreamLeaseHolder(services.streamLeases(), config.services().rabbitmqStream(),
            config.services().rabbitmqConsumer(), config.operations().streamLease(),
            token -> starters.apply(Optional.of(token))).start());
  }

  /** Starts the consumer with explicit settings over the server's ingest use case (benchmarks tune the batch). */
  static StreamUsageConsumer start(StreamSettings settings, TallyServices services, TimeSource time,
      MeterRegistry registry) {
    return start(settings, services.ingest(), services, time, registry, StreamMetrics.register(registry),
        Tracing.off(), Optional.empty());
  }

  private static StreamUsageConsumer start(StreamSettings settings, IngestUsageBatch ingest, TallyServices services,
      TimeSource time, MeterRegistry registry, StreamMetrics meters, Tracing tracing,
      Optional<StreamLeaseToken> lease) {
    StoreOffsetSource offsets = new StoreOffsetSource(services.usageEvents());
    IngestingBatchSink sink = new IngestingBatchSink(ingest, offsets, time, SystemActor.get(), lease);
    LOG.atInfo().addKeyValue("stream", settings.stream()).addKeyValue("consumer", settings.consumerName())
        .addKeyValue("batch_size", settings.batchSize()).addKeyValue("batch_max_wait_ms", settings.maxWait().toMillis())
        .log("starting stream ingestion");
    StreamBatchSink timed = StreamMetrics.timed(registry, sink);
    // One root span per batch; the ingest use case and its statements are its children.
    // The span covers the commit; the batch's decoding and validation ran ahead, while the batch before committed.
    StreamBatchSink traced = timed.aroundCommit((batch, commit) -> tracing.inSpan("stream batch", SpanKind.CONSUMER,
        Attributes.builder()
        .put("messaging.system", "rabbitmq").put("messaging.destination.name", batch.stream())
        .put("messaging.batch.message_count", batch.size()).put("tally.stream.first_offset", batch.firstOffset())
        .put("tally.stream.last_offset", batch.lastOffset()).build(), () -> {
          commit.commit();
          return null;
        }));
    StreamUsageConsumer consumer = StreamUsageConsumer.builder(settings, offsets, traced).start();
    meters.attach(consumer::status, sink::totals, consumer::lastCommittedTimestamp);
    return consumer;
  }

  /**
   * The stream's use case for tracing: {@code prepare} runs ahead on the consumer's preparer thread, outside any
   * batch's span, and is not traced; the commit it returns is the span {@code IngestUsageBatch.ingest} under the
   * batch's span, as a stream batch's use case call has always been traced ({@code TracingIT}).
   */
  private static IngestUsageBatch tracedCommits(IngestUsageBatch useCase, Tracing tracing) {
    IngestUsageBatch traced = tracing.traced(IngestUsageBatch.class, useCase);
    return new IngestUsageBatch() {
      @Override
      public IngestReport ingest(IngestCommand command) {
        return traced.ingest(command);
      }

      @Override
      public Prepared prepare(IngestCommand command) {
        Prepared prepared = useCase.prepare(command);
        return () -> {
          try {
            return tracing.inSpan("IngestUsageBatch.ingest", SpanKind.INTERNAL, Attributes.empty(), prepared::commit);
          } catch (RuntimeException | Error e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e); // commit throws no checked exception
          }
        };
      }
    };
  }

  /**
   * @return the consumer settings {@code serve} uses (URL, stream, consumer and batching from the
   *     configuration), still open to changes: benchmarks tune the batch
   */
  static StreamSettings.Builder settings(TallyConfig config) {
    TallyConfig.StreamBatching batching = config.services().rabbitmqBatching();
    return StreamSettings.builder()
        .uri(streamUrl(config).map(ServiceUrl::value).orElseThrow())
        .stream(config.services().rabbitmqStream()).consumerName(config.services().rabbitmqConsumer())
        .batchSize(batching.size()).maxWait(batching.maxWait());
  }
}
