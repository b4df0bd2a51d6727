package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ApiRoutes;
import io.tally.analytics.adapter.http.HttpMetrics;
import io.tally.analytics.adapter.http.JsonBodies;
import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.adapter.http.Route;
import io.tally.analytics.adapter.http.TallyHttpServer;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: use cases over PostgreSQL, the HTTP API in front of them and the rollup worker behind.
 * {@link #close()} stops them in reverse order (HTTP first so no request meets a closed pool) and is idempotent,
 * so the shutdown hook and a test may both call it.
 */
final class TallyApplication implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TallyApplication.class);
  /** The only wall clock in the code base. */
  static final TimeSource WALL_CLOCK = Instant::now;

  private final TallyServices services;
  private final TallyHttpServer server;
  private final HttpMetrics metrics;
  private final RollupWorker worker;
  private final RefusalAuditFlusher refusalAudit;
  private final Optional<StreamStarter> stream;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TallyApplication(TallyServices services, TallyHttpServer server, HttpMetrics metrics,
      RollupWorker worker, RefusalAuditFlusher refusalAudit, Optional<StreamStarter> stream) {
    this.refusalAudit = refusalAudit;
    this.stream = stream;
    this.services = services;
    this.server = server;
    this.metrics = metrics;
    this.worker = worker;
  }

  /** Opens the database, migrates, wires every route and starts listening. */
  static TallyApplication start(TallyConfig config) {
    TallyServices services = TallyServices.open(config, WALL_CLOCK);
    try {
      HttpMetrics metrics = new HttpMetrics(HttpMetrics.newRegistry());
      RollupWorker worker = new RollupWorker(services.rollup(), config.timings().rollupInterval(),
          metrics.registry());
      StreamReadiness streamReadiness = new StreamReadiness(WALL_CLOCK, StreamReadiness.RECONNECT_GRACE);
      List<ReadinessCheck> checks = readinessChecks(config, services);
      checks.add(RollupReadiness.check(services.rollupQuarantine(), worker));
      if (StreamIngestion.configured(config)) {
        checks.add(streamReadiness.check());
      }
      TallyHttpServer server = HttpServerWiring.build(config, checks, metrics,
          apiRoutes(config, services), services.refusals(), WALL_CLOCK).start();
      RefusalAuditFlusher refusalAudit = new RefusalAuditFlusher(services.refusals());
      LOG.atInfo().addKeyValue("url", server.baseUrl())
          .addKeyValue("database", services.database().describe(config))
          .addKeyValue("migrations_applied", services.migrationsApplied()).log("tally started");
      worker.start();
      Optional<StreamStarter> stream;
      try {
        stream = StreamIngestion.starter(config, services, WALL_CLOCK, metrics.registry(),
            consumer -> streamReadiness.attach(consumer::status), streamReadiness::waiting).map(StreamStarter::start);
      } catch (RuntimeException e) {
        worker.close();
        server.stop();
        refusalAudit.close();
        throw e;
      }
      return new TallyApplication(services, server, metrics, worker, refusalAudit, stream);
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  private static List<Route> apiRoutes(TallyConfig config, TallyServices services) {
    return new ApiRoutes(services.ingest(), services.usage(), services.reliability(), services.exports(),
        services.analyticsEvents(), services.routes())
        .routes(new JsonBodies(config.http().maxBodyBytes()), config.http().maxBatchEvents());
  }

  private static List<ReadinessCheck> readinessChecks(TallyConfig config, TallyServices services) {
    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(new ReadinessCheck("database", services.database()::ping));
    services.redis().ifPresent(redis -> checks.add(new ReadinessCheck("redis", redis::ping)));
    config.services().rabbitmqUrl().ifPresent(url ->
        checks.add(new ReadinessCheck("rabbitmq", TcpProbe.connect(url,
            url.value().startsWith("rabbitmq-stream") ? 5552 : 5672))));
    return checks;
  }

  TallyHttpServer server() {
    return server;
  }

  TallyServices services() {
    return services;
  }

  /**
   * @return the stream consumer, present when {@code RABBITMQ_URL} asks for stream ingestion and the consumer
   *     has started (it starts in the background when the broker was unreachable at start)
   */
  Optional<StreamUsageConsumer> stream() {
    return stream.flatMap(StreamStarter::consumer);
  }

  RollupWorker worker() {
    return worker;
  }

  HttpMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("stopping tally");
    // The consumer first: it finishes its batch and stores the offset while the database is still open.
    stream.ifPresent(StreamStarter::close);
    server.stop();
    refusalAudit.close();
    worker.close();
    services.close();
  }
}
