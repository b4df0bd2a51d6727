package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ApiRoutes;
import io.tally.analytics.adapter.http.PriceRoutes;
import io.tally.analytics.adapter.http.HttpMetrics;
import io.tally.analytics.adapter.http.JsonBodies;
import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.adapter.http.Route;
import io.tally.analytics.adapter.http.TallyHttpServer;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.adapter.http.HttpTracing;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.ManagePrices;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.RunExports;
import io.tally.analytics.ports.in.RunRollup;
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
 * {@link #close()} stops the workers first (stream consumer, HTTP, rollup worker), then the pool, then the
 * embedded database, and is idempotent, so the shutdown hook and a test may both call it.
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
  private final Housekeeping housekeeping;
  private final ExportWorker exportWorker;
  private final Optional<StreamLeaseHolder> stream;
  private final RuntimeMetrics runtime;
  private final Tracing tracing;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TallyApplication(TallyServices services, TallyHttpServer server, HttpMetrics metrics,
      RollupWorker worker, RefusalAuditFlusher refusalAudit, Housekeeping housekeeping, ExportWorker exportWorker,
      Optional<StreamLeaseHolder> stream, RuntimeMetrics runtime, Tracing tracing) {
    this.refusalAudit = refusalAudit;
    this.housekeeping = housekeeping;
    this.exportWorker = exportWorker;
    this.stream = stream;
    this.runtime = runtime;
    this.tracing = tracing;
    this.services = services;
    this.server = server;
    this.metrics = metrics;
    this.worker = worker;
  }

  /** Opens the database, migrates, wires every route and starts listening. */
  static TallyApplication start(TallyConfig config) {
    HttpMetrics metrics = new HttpMetrics(HttpMetrics.newRegistry());
    RuntimeMetrics runtime = RuntimeMetrics.bindTo(metrics.registry());
    Tracing tracing = Tracing.start(config.operations().tracing());
    TallyServices services;
    try {
      services = TallyServices.open(config, WALL_CLOCK, Optional.of(metrics.registry()));
      services.database().trace(tracing);
      services.unpricedEvents().bindTo(metrics.registry());
    } catch (RuntimeException e) {
      runtime.close();
      tracing.close();
      throw e;
    }
    try {
      RollupWorker worker = new RollupWorker(tracing.traced(RunRollup.class, services.rollup()),
          config.timings().rollupInterval(), metrics.registry(), tracing);
      StreamReadiness streamReadiness = new StreamReadiness(WALL_CLOCK, StreamReadiness.RECONNECT_GRACE);
      List<ReadinessCheck> checks = readinessChecks(config, services);
      checks.add(RollupReadiness.check(services.rollupQuarantine(), worker));
      if (StreamIngestion.configured(config)) {
        checks.add(streamReadiness.check());
      }
      IngestUsageBatch ingest = new RollupWakingIngest(services.ingest(), worker::wake);
      IngestUsageBatch httpIngest = new MeteredIngestUsageBatch(ingest, "http", metrics.registry());
      ExportMetrics exportMetrics = new ExportMetrics(metrics.registry());
      TallyHttpServer server = HttpServerWiring.build(config, checks, metrics,
          apiRoutes(config, services, httpIngest, exportMetrics, tracing), services.refusals(), WALL_CLOCK,
          new HttpTracing(tracing.openTelemetry())).start();
      RefusalAuditFlusher refusalAudit = new RefusalAuditFlusher(services.refusals());
      services.exportObjects().links().listeningAt(server.baseUrl());
      ExportWorker exportWorker = new ExportWorker(tracing.traced(RunExports.class, services.runExports()),
          config.exports().workerConcurrency(),
          config.exports().workerInterval(), exportMetrics);
      LOG.atInfo().addKeyValue("url", server.baseUrl())
          .addKeyValue("database", services.database().describe(config))
          .addKeyValue("migrations_applied", services.migrationsApplied()).log("tally started");
      worker.start();
      Housekeeping housekeeping = housekeeping(config, services, metrics, tracing);
      housekeeping.start();
      exportWorker.start();
      Optional<StreamLeaseHolder> stream;
      try {
        stream = StreamIngestion.leased(config, ingest, services, WALL_CLOCK, metrics.registry(), tracing,
            consumer -> streamReadiness.attach(consumer::status), streamReadiness::waiting);
        stream.ifPresent(lease -> streamReadiness.lease(lease::view));
      } catch (RuntimeException e) {
        housekeeping.close();
        exportWorker.close();
        worker.close();
        server.stop();
        refusalAudit.close();
        throw e;
      }
      return new TallyApplication(services, server, metrics, worker, refusalAudit, housekeeping, exportWorker,
          stream, runtime, tracing);
    } catch (RuntimeException e) {
      services.close();
      runtime.close();
      tracing.close();
      throw e;
    }
  }

  /** The use cases behind the routes, each call in a span of its own when tracing is on. */
  private static List<Route> apiRoutes(TallyConfig config, TallyServices services, IngestUsageBatch ingest,
      ExportMetrics exportMetrics, Tracing tracing) {
    JsonBodies bodies = new JsonBodies(config.http().maxBodyBytes());
    List<Route> routes = new ArrayList<>(new ApiRoutes(tracing.traced(IngestUsageBatch.class, ingest),
        tracing.traced(QueryUsage.class, services.usage()),
        tracing.traced(QueryReliability.class, services.reliability()),
        tracing.traced(Exports.class, new MeteredExports(services.exports(), exportMetrics)),
        services.exportObjects().files(),
        tracing.traced(AnalyticsEvents.class, services.analyticsEvents()),
        tracing.traced(ManageRoutes.class, services.routes()))
        .routes(bodies, config.http().maxBatchEvents()));
    routes.addAll(new PriceRoutes(tracing.traced(ManagePrices.class, services.prices()), bodies).routes());
    return routes;
  }

  static Housekeeping housekeeping(TallyConfig config, TallyServices services, HttpMetrics metrics, Tracing tracing) {
    return new Housekeeping(services.retention(), services.postgresAuditLog(),
        new AuditSegments(auditArchive(config)), config.operations().retention(), WALL_CLOCK, metrics.registry(),
        tracing);
  }

  /** @return where archived audit segments are written: {@code DATA_DIR/audit-archive} */
  static java.nio.file.Path auditArchive(TallyConfig config) {
    return config.dataDir().resolve("audit-archive");
  }

  private static List<ReadinessCheck> readinessChecks(TallyConfig config, TallyServices services) {
    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(new ReadinessCheck("database", services.database()::ping));
    checks.add(new ObjectStoreReadiness(services.exportObjects().store()).check());
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
    return stream.flatMap(StreamLeaseHolder::consumer);
  }

  RollupWorker worker() {
    return worker;
  }

  ExportWorker exportWorker() {
    return exportWorker;
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
    // Workers first, while the pool and the database are still open: the consumer finishes its batch and stores
    // the offset, HTTP lets in-flight requests finish, the rollup worker ends its run. Then the pool, then the
    // embedded database (TallyServices.close). ShutdownOrderIT checks the order on a real SIGTERM.
    stream.ifPresent(s -> {
      s.close();
      LOG.info("stream consumer stopped");
    });
    server.stop();
    LOG.info("http server stopped");
    exportWorker.close();
    // After HTTP: no refusal can arrive any more, so the flush writes the last minute's totals.
    refusalAudit.close();
    worker.close();
    LOG.info("rollup worker stopped");
    housekeeping.close();
    services.close();
    runtime.close();
    tracing.close();
  }
}
