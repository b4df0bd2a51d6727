package io.tally.analytics.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.adapter.cloudstores.CloudStoreProvider;
import io.tally.analytics.adapter.localfs.LocalFreshnessCache;
import io.tally.analytics.adapter.postgres.PartitionMaintainer;
import io.tally.analytics.adapter.postgres.PostgresAnalyticsStore;
import io.tally.analytics.adapter.postgres.PostgresAuditLog;
import io.tally.analytics.adapter.postgres.PostgresDeadLetterStore;
import io.tally.analytics.adapter.postgres.PostgresExportJobStore;
import io.tally.analytics.adapter.postgres.PostgresFreshnessStore;
import io.tally.analytics.adapter.postgres.PostgresPriceBookStore;
import io.tally.analytics.adapter.postgres.PostgresRetention;
import io.tally.analytics.adapter.postgres.PostgresRollupQuarantine;
import io.tally.analytics.adapter.postgres.PostgresRollupStore;
import io.tally.analytics.adapter.postgres.PostgresRollupSums;
import io.tally.analytics.adapter.postgres.PostgresStreamLeases;
import io.tally.analytics.adapter.postgres.PostgresRouteRegistry;
import io.tally.analytics.adapter.postgres.PostgresUsageEventStore;
import io.tally.analytics.adapter.redis.RedisConnection;
import io.tally.analytics.adapter.redis.RedisFreshnessCache;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.AuditRefusals;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.ManagePrices;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.Reconcile;
import io.tally.analytics.ports.in.RunExports;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.out.StreamLeases;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.service.AnalyticsEventsService;
import io.tally.analytics.ports.service.AuditedAccessGuard;
import io.tally.analytics.ports.service.GroupCommittingAuditLog;
import io.tally.analytics.ports.service.ExportSettings;
import io.tally.analytics.ports.service.ExportsService;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.ManagePricesService;
import io.tally.analytics.ports.service.ManageRoutesService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.RecentQuarantineReads;
import io.tally.analytics.ports.service.RefusalAuditService;
import io.tally.analytics.ports.service.ReconcileService;
import io.tally.analytics.ports.service.RefusalAuditService;
import io.tally.analytics.ports.service.RunExportsService;
import io.tally.analytics.ports.service.RunRollupService;
import io.tally.analytics.ports.service.UsageAnswers;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every use case wired by hand over PostgreSQL: what {@code serve}, {@code seed} and {@code verify} share.
 * Opening it opens (or starts) the database and applies pending migrations; closing it closes the database.
 */
final class TallyServices implements AutoCloseable {
  /** Freshness status turns {@code stale} past this lag (the alert threshold of DESIGN §1.4). */
  static final Duration STALE_AFTER = Duration.ofSeconds(600);

  private final Database database;
  private final int migrationsApplied;
  /** Most audit records in one group commit: bounds the transaction, far above the 64 connections measured. */
  private static final int AUDIT_GROUP_ENTRIES = 1_000;
  /**
   * Audit groups handed to PostgreSQL at once. One: with two in flight (the next group linked to the previous one's
   * tail, waiting on the head row lock in the database) the groups halved and each request cost the server and the
   * database more CPU, which on two shared cores lost more than the overlap won (docs/benchmarks.md http-read,
   * third round).
   */
  private static final int AUDIT_GROUPS_IN_FLIGHT = 1;
  /** Most organisations whose quarantine copy is kept for reads (a few hundred bytes each). */
  private static final int QUARANTINE_COPIES = 10_000;
  /** Most usage answers kept (one per organisation and question; a week of daily points is ~2 KB). */
  private static final int USAGE_ANSWERS = 10_000;
  private final PostgresAuditLog postgresAudit;
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
  private final CloudStoreProvider cloudStores;
  private static final Logger LOG = LoggerFactory.getLogger(TallyServices.class);
  private final ManagePrices prices;
  private final UnpricedEventMetrics unpricedEvents = new UnpricedEventMetrics();
  private final PostgresRetention retention;
  private final PostgresRollupStore rollups;
  private final PostgresFreshnessStore freshnessStore;
  private final ExportObjectStores exportObjects;
  private final RunExports runExports;

  private TallyServices(TallyConfig config, Database database, Optional<RedisConnection> redis, TimeSource time,
      Optional<MeterRegistry> meters, AesGcmSecretSealer routeSecrets) {
    this.database = database;
    this.redis = redis;
    this.migrationsApplied = database.migrate();
    Jdbi jdbi = database.jdbi();
    IdGenerator ids = () -> UUID.randomUUID().toString();
    this.postgresAudit = new PostgresAuditLog(jdbi);
    // Concurrent decisions share one head lock and one durable commit (DESIGN §1.3; docs/benchmarks.md http-read).
    this.auditLog = new GroupCommittingAuditLog(postgresAudit, AUDIT_GROUP_ENTRIES, AUDIT_GROUPS_IN_FLIGHT);
    this.guard = new AuditedAccessGuard(AccessPolicy.standard(), auditLog, time);
    this.cloudStores = new CloudStoreProvider(new ScanLimit(config.analyticsStores().scanLimit()), time);
    RouteRegistry registry = analyticsStoreRoutes(jdbi, routeSecrets, cloudStores);
    this.routes = new ManageRoutesService(guard, registry, ids, time);
    AnalyticsStoreMetrics storeMetrics = new AnalyticsStoreMetrics(meters.orElseGet(SimpleMeterRegistry::new));
    AnalyticsStoreProvider stores = new MeteredStoreProvider(new BackendStoreProvider(
        Map.of(BackendType.POSTGRES, new PostgresAnalyticsStore(jdbi)),
        Map.of(BackendType.DYNAMODB, cloudStores, BackendType.FIRESTORE, cloudStores, BackendType.COSMOS,
            cloudStores)), storeMetrics);
    this.analyticsEvents = new LabModeMetering(
        new AnalyticsEventsService(guard, registry, stores, ids, time, config.environment()), storeMetrics);
    this.exportObjects = ExportObjectStores.open(config, time);
    ExportSettings exportSettings = exportSettings(config);
    PostgresExportJobStore exportJobs = new PostgresExportJobStore(jdbi);
    this.exports = new ExportsService(guard, exportJobs, exportObjects.store(), ids, time, exportSettings);

    EventTimeWindow window = config.guards().eventTime();
    PartitionMaintainer partitions = new PartitionMaintainer(jdbi, window, time);
    this.usageEvents = new PostgresUsageEventStore(jdbi, partitions, time);
    this.retention = new PostgresRetention(jdbi, partitions);
    this.deadLetters = new PostgresDeadLetterStore(jdbi);
    this.rollups = new PostgresRollupStore(jdbi);
    // Reads answer the organisation's quarantine from a copy at most FRESHNESS_CACHE_TTL old (the staleness the
    // watermark already has); readiness, verify and the rollup worker's own records stay exact.
    this.rollupQuarantine = new RecentQuarantineReads(new PostgresRollupQuarantine(jdbi),
        config.timings().freshnessCacheTtl(), QUARANTINE_COPIES, time);
    this.refusals = new RefusalAuditService(auditLog, time);
    PostgresPriceBookStore priceBook = new PostgresPriceBookStore(jdbi);
    this.prices = new ManagePricesService(guard, priceBook, auditLog, time);
    this.ingest = new IngestUsageBatchService(guard, UsageEventValidator.builder().eventTimeWindow(window).build(),
        usageEvents, priceBook, time, unpricedEvents);
    this.freshnessStore = new PostgresFreshnessStore(jdbi);
    // Usage answers are reused for at most FRESHNESS_CACHE_TTL while the watermark stays; this instance's rollup
    // runs drop them at once (docs/operations.md "Read caches").
    UsageAnswers answers = new UsageAnswers(config.timings().freshnessCacheTtl(), USAGE_ANSWERS, time);
    this.rollup = answers.invalidatingAfter(new RunRollupService(guard, rollups, freshnessStore, rollupQuarantine,
        RollupRetryPolicy.DEFAULT, RollupComputation.standard(), time));
    FreshnessCache cache = freshnessCache(config.timings().freshnessCacheTtl(), redis, time);
    if (meters.isPresent()) {
      cache = new CountingFreshnessCache(cache, meters.get());
    }
    FreshnessReader freshness = new FreshnessReader(freshnessStore, cache, rollupQuarantine,
        new FreshnessPolicy(STALE_AFTER), time);
    this.usage = new QueryUsageService(guard, new PostgresRollupSums(jdbi), freshness, answers);
    this.reliability = new QueryReliabilityService(guard, rollups, usageEvents, freshness,
        QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
    this.reconcile = new ReconcileService(guard, rollups, usageEvents, ReconciliationPolicy.DEFAULT, priceBook);
    this.runExports = new RunExportsService(exportJobs, rollups, usageEvents, freshnessStore,
        exportObjects.store(), time, exportSettings);
  }

  /**
   * {@code FRESHNESS_CACHE_TTL=0} turns the cache off, with or without Redis (Redis cannot keep a key for no
   * time); otherwise Redis when {@code REDIS_URL} is set, else the in-process cache.
   */
  static FreshnessCache freshnessCache(Duration ttl, Optional<RedisConnection> redis, TimeSource time) {
    if (ttl.isZero()) {
      return FreshnessCache.none();
    }
    return redis.<FreshnessCache>map(r -> new RedisFreshnessCache(r, RedisFreshnessCache.DEFAULT_KEY_PREFIX, ttl))
        .orElseGet(() -> new LocalFreshnessCache(ttl, time));
  }

  /**
   * The route registry of the AN-01 stores: secrets sealed at rest with the route-secret keys (rows left by an
   * older key or in clear are resealed now), and clients of deleted or replaced routes closed.
   */
  private static RouteRegistry analyticsStoreRoutes(Jdbi jdbi, AesGcmSecretSealer routeSecrets,
      CloudStoreProvider cloud) {
    PostgresRouteRegistry stored = new PostgresRouteRegistry(jdbi, routeSecrets);
    int resealed = stored.resealAll();
    if (resealed > 0) {
      LOG.atInfo().addKeyValue("routes", resealed).log("resealed route secrets with the current ROUTE_SECRETS_KEY");
    }
    return new ReleasingRouteRegistry(stored, cloud::release);
  }

  static ExportSettings exportSettings(TallyConfig config) {
    return ExportSettings.defaults()
        .withSignedUrlTtl(config.timings().exportSignedUrlTtl())
        .withRetention(config.exports().retention())
        .withLease(config.exports().lease())
        .withRawMaxRows(config.exports().rawMaxRows())
        .withTallyVersion(TallyVersion.get());
  }

  /**
   * Opens the database named by the configuration (embedded when none), migrates it and wires the use cases.
   *
   * @param time the one wall clock of the process
   */
  static TallyServices open(TallyConfig config, TimeSource time) {
    return open(config, time, Optional.empty());
  }

  /**
   * As {@link #open(TallyConfig, TimeSource)}, with the pool's, the freshness cache's and the AN-01 stores' meters
   * in {@code meters} (the server's Prometheus registry).
   */
  static TallyServices open(TallyConfig config, TimeSource time, Optional<MeterRegistry> meters) {
    // Before the database: a server that may not start (no ROUTE_SECRETS_KEY outside development) touches nothing.
    AesGcmSecretSealer routeSecrets = new AesGcmSecretSealer(RouteSecretKeys.resolve(config));
    Database database = Database.open(config, meters);
    Optional<RedisConnection> redis = Optional.empty();
    try {
      redis = config.services().redisUrl().map(url -> RedisConnection.open(url.value()));
      return new TallyServices(config, database, redis, time, meters, routeSecrets);
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

  RunExports runExports() {
    return runExports;
  }

  ExportObjectStores exportObjects() {
    return exportObjects;
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

  ManagePrices prices() {
    return prices;
  }

  UnpricedEventMetrics unpricedEvents() {
    return unpricedEvents;
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

  /** @return the rollup store, for {@code tally rollup --refresh} */
  PostgresRollupStore rollups() {
    return rollups;
  }

  /** @return raw-data retention over this database (housekeeping, verify) */
  PostgresRetention retention() {
    return retention;
  }

  /** @return who consumes which stream, when several instances could */
  StreamLeases streamLeases() {
    return new PostgresStreamLeases(database.jdbi());
  }

  /** @return the audit log with its archive operations */
  PostgresAuditLog postgresAuditLog() {
    return postgresAudit;
  }

  /** @return the freshness store, for the oldest waiting event {@code verify} checks */
  PostgresFreshnessStore freshnessStore() {
    return freshnessStore;
  }

  @Override
  public void close() {
    cloudStores.close();
    exportObjects.close();
    redis.ifPresent(RedisConnection::close);
    database.close();
  }
}
