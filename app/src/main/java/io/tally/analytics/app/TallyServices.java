package io.tally.analytics.app;

import io.tally.analytics.adapter.postgres.PostgresAnalyticsStore;
import io.tally.analytics.adapter.postgres.PostgresAuditLog;
import io.tally.analytics.adapter.postgres.PostgresDeadLetterStore;
import io.tally.analytics.adapter.postgres.PostgresExportJobStore;
import io.tally.analytics.adapter.postgres.PartitionMaintainer;
import io.tally.analytics.adapter.postgres.PostgresFreshnessStore;
import io.tally.analytics.adapter.postgres.PostgresPriceBookSource;
import io.tally.analytics.adapter.postgres.PostgresRollupQuarantine;
import io.tally.analytics.adapter.postgres.PostgresRollupStore;
import io.tally.analytics.adapter.postgres.PostgresRouteRegistry;
import io.tally.analytics.adapter.postgres.PostgresUsageEventStore;
import io.tally.analytics.adapter.redis.RedisConnection;
import io.tally.analytics.adapter.redis.RedisFreshnessCache;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.AuditRefusals;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.Reconcile;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.service.AnalyticsEventsService;
import io.tally.analytics.ports.service.AuditedAccessGuard;
import io.tally.analytics.ports.service.ExportSettings;
import io.tally.analytics.ports.service.ExportsService;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.ManageRoutesService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.RefusalAuditService;
import io.tally.analytics.ports.service.ReconcileService;
import io.tally.analytics.ports.service.RunRollupService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Every use case wired by hand over PostgreSQL: what {@code serve}, {@code seed} and {@code verify} share.
 * Opening it opens (or starts) the database and applies pending migrations; closing it closes the database.
 */
final class TallyServices implements AutoCloseable {
  /** Freshness status turns {@code stale} past this lag (the alert threshold of DESIGN §1.4). */
  static final Duration STALE_AFTER = Duration.ofSeconds(600);

  private final Database database;
  private final int migrationsApplied;
  private final AuditLog auditLog;
  private final AccessGuard guard;
  private final ManageRoutes routes;
  private final AnalyticsEvents analyticsEvents;
  private final Exports exports;
  private final Optional<RedisConnection> redis;
  private final IngestUsageBatch ingest;
  private final RunRollup rollup;
  private final QueryUsage usage;
  private final QueryReliability reliability;
  private final Reconcile reconcile;
  private final PostgresUsageEventStore usageEvents;
  private final PostgresDeadLetterStore deadLetters;
  private final RollupQuarantine rollupQuarantine;
  private final AuditRefusals refusals;

  private TallyServices(TallyConfig config, Database database, Optional<RedisConnection> redis, TimeSource time) {
    this.database = database;
    this.redis = redis;
    this.migrationsApplied = database.migrate();
    Jdbi jdbi = database.jdbi();
    IdGenerator ids = () -> UUID.randomUUID().toString();
    this.auditLog = new PostgresAuditLog(jdbi);
    this.guard = new AuditedAccessGuard(AccessPolicy.standard(), auditLog, time);
    PostgresRouteRegistry registry = new PostgresRouteRegistry(jdbi);
    this.routes = new ManageRoutesService(guard, registry, ids, time);
    BackendStoreProvider stores = new BackendStoreProvider(Map.of(BackendType.POSTGRES,
        new PostgresAnalyticsStore(jdbi)));
    this.analyticsEvents = new AnalyticsEventsService(guard, registry, stores, ids, time, config.environment());
    ObjectStore objects = new LocalDirectoryObjectStore(config.dataDir().resolve("exports"), time);
    this.exports = new ExportsService(guard, new PostgresExportJobStore(jdbi), objects, ids, time,
        new ExportSettings(ExportSettings.defaults().maxAttempts(), config.timings().exportSignedUrlTtl()));

    EventTimeWindow window = config.guards().eventTime();
    this.usageEvents = new PostgresUsageEventStore(jdbi, new PartitionMaintainer(jdbi, window, time), time);
    this.deadLetters = new PostgresDeadLetterStore(jdbi);
    PostgresRollupStore rollups = new PostgresRollupStore(jdbi);
    this.rollupQuarantine = new PostgresRollupQuarantine(jdbi);
    this.refusals = new RefusalAuditService(auditLog, time);
    this.ingest = new IngestUsageBatchService(guard, UsageEventValidator.builder().eventTimeWindow(window).build(),
        usageEvents, new PostgresPriceBookSource(jdbi), time);
    this.rollup = new RunRollupService(guard, rollups, rollupQuarantine, RollupRetryPolicy.DEFAULT,
        RollupComputation.standard(), time);
    FreshnessCache cache = redis.<FreshnessCache>map(r -> new RedisFreshnessCache(r,
            RedisFreshnessCache.DEFAULT_KEY_PREFIX, config.timings().freshnessCacheTtl()))
        .orElseGet(() -> new LocalFreshnessCache(config.timings().freshnessCacheTtl(), time));
    FreshnessReader freshness = new FreshnessReader(new PostgresFreshnessStore(jdbi), cache, rollupQuarantine,
        new FreshnessPolicy(STALE_AFTER), time);
    this.usage = new QueryUsageService(guard, rollups, freshness);
    this.reliability = new QueryReliabilityService(guard, rollups, usageEvents, freshness,
        QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
    this.reconcile = new ReconcileService(guard, rollups, usageEvents, ReconciliationPolicy.DEFAULT);
  }

  /**
   * Opens the database named by the configuration (embedded when none), migrates it and wires the use cases.
   *
   * @param time the one wall clock of the process
   */
  static TallyServices open(TallyConfig config, TimeSource time) {
    Database database = Database.open(config);
    Optional<RedisConnection> redis = Optional.empty();
    try {
      redis = config.services().redisUrl().map(url -> RedisConnection.open(url.value()));
      return new TallyServices(config, database, redis, time);
    } catch (RuntimeException e) {
      redis.ifPresent(RedisConnection::close);
      database.close();
      throw e;
    }
  }

  Database database() {
    return database;
  }

  int migrationsApplied() {
    return migrationsApplied;
  }

  AuditLog auditLog() {
    return auditLog;
  }

  AccessGuard guard() {
    return guard;
  }

  ManageRoutes routes() {
    return routes;
  }

  AnalyticsEvents analyticsEvents() {
    return analyticsEvents;
  }

  Exports exports() {
    return exports;
  }

  Optional<RedisConnection> redis() {
    return redis;
  }

  IngestUsageBatch ingest() {
    return ingest;
  }

  RunRollup rollup() {
    return rollup;
  }

  QueryUsage usage() {
    return usage;
  }

  QueryReliability reliability() {
    return reliability;
  }

  Reconcile reconcile() {
    return reconcile;
  }

  PostgresDeadLetterStore deadLetters() {
    return deadLetters;
  }

  PostgresUsageEventStore usageEvents() {
    return usageEvents;
  }

  /** @return the hours whose rollup failed and that wait for a retry */
  RollupQuarantine rollupQuarantine() {
    return rollupQuarantine;
  }

  /** @return the audit of requests refused before any use case ran (401, 429) */
  AuditRefusals refusals() {
    return refusals;
  }

  @Override
  public void close() {
    redis.ifPresent(RedisConnection::close);
    database.close();
  }
}
