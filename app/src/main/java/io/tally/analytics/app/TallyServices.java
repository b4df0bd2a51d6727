package io.tally.analytics.app;

import io.tally.analytics.adapter.postgres.PostgresAnalyticsStore;
import io.tally.analytics.adapter.postgres.PostgresAuditLog;
import io.tally.analytics.adapter.postgres.PostgresExportJobStore;
import io.tally.analytics.adapter.postgres.PostgresRouteRegistry;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.service.AnalyticsEventsService;
import io.tally.analytics.ports.service.AuditedAccessGuard;
import io.tally.analytics.ports.service.ExportSettings;
import io.tally.analytics.ports.service.ExportsService;
import io.tally.analytics.ports.service.ManageRoutesService;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Every use case wired by hand over PostgreSQL: what {@code serve}, {@code seed} and {@code verify} share.
 * Opening it opens (or starts) the database and applies pending migrations; closing it closes the database.
 */
final class TallyServices implements AutoCloseable {
  private final Database database;
  private final int migrationsApplied;
  private final AuditLog auditLog;
  private final AccessGuard guard;
  private final ManageRoutes routes;
  private final AnalyticsEvents analyticsEvents;
  private final Exports exports;

  private TallyServices(TallyConfig config, Database database, TimeSource time) {
    this.database = database;
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
  }

  /**
   * Opens the database named by the configuration (embedded when none), migrates it and wires the use cases.
   *
   * @param time the one wall clock of the process
   */
  static TallyServices open(TallyConfig config, TimeSource time) {
    Database database = Database.open(config);
    try {
      return new TallyServices(config, database, time);
    } catch (RuntimeException e) {
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

  @Override
  public void close() {
    database.close();
  }
}
