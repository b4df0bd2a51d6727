package io.tally.analytics.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.analytics.adapter.postgres.EmbeddedPostgresServer;
import io.tally.analytics.adapter.postgres.PostgresMigrator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.opentelemetry.JdbiOpenTelemetryPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's PostgreSQL: {@code DATABASE_URL} when set, otherwise an embedded server whose data lives under
 * {@code DATA_DIR/postgres}; either way behind one small connection pool. Closing it closes the pool and then
 * stops the embedded server.
 */
final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int POOL_SIZE = 10;

  private final HikariDataSource pool;
  private final Optional<EmbeddedPostgresServer> embedded;
  private final Jdbi jdbi;

  private Database(HikariDataSource pool, Optional<EmbeddedPostgresServer> embedded) {
    this.pool = pool;
    this.embedded = embedded;
    this.jdbi = Jdbi.create(pool);
  }

  /** Opens the configured database, starting the embedded one when no {@code DATABASE_URL} is set. */
  static Database open(TallyConfig config) {
    return open(config, Optional.empty());
  }

  /**
   * As {@link #open(TallyConfig)}, with the pool's meters ({@code hikaricp_*}, label {@code pool}) in
   * {@code registry} when present.
   */
  static Database open(TallyConfig config, Optional<MeterRegistry> registry) {
    Optional<ServiceUrl> url = config.services().databaseUrl();
    if (url.isPresent()) {
      JdbcTarget target = JdbcTarget.of(url.get());
      return new Database(pool(target.jdbcUrl(), target.user(), target.password().map(Secret::value), registry),
          Optional.empty());
    }
    Path dir = config.dataDir().resolve("postgres");
    LOG.atInfo().addKeyValue("dir", dir.toAbsolutePath().normalize()).log("starting embedded PostgreSQL");
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0);
    try {
      return new Database(pool(server.jdbcUrl(), Optional.empty(), Optional.empty(), registry), Optional.of(server));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static HikariDataSource pool(String jdbcUrl, Optional<String> user, Optional<String> password,
      Optional<MeterRegistry> registry) {
    HikariConfig hc = new HikariConfig();
    registry.ifPresent(hc::setMetricRegistry);
    hc.setPoolName("tally-db");
    hc.setJdbcUrl(jdbcUrl);
    user.ifPresent(hc::setUsername);
    password.ifPresent(hc::setPassword);
    hc.setMaximumPoolSize(POOL_SIZE);
    hc.setMinimumIdle(2);
    hc.setConnectionTimeout(10_000);
    // Fail at start with the driver's own message rather than on the first request.
    hc.setInitializationFailTimeout(10_000);
    return new HikariDataSource(hc);
  }

  /** Every statement run through {@link #jdbi()} becomes a span under the current one (Jdbi's plugin). */
  void trace(Tracing tracing) {
    if (tracing.on()) {
      jdbi.installPlugin(new JdbiOpenTelemetryPlugin(tracing.openTelemetry()));
    }
  }

  /** @return migrations applied now (0 when the schema is already current) */
  int migrate() {
    return PostgresMigrator.migrate(pool);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  DataSource dataSource() {
    return pool;
  }

  /** @return true when this is the embedded server under {@code DATA_DIR} */
  boolean isEmbedded() {
    return embedded.isPresent();
  }

  /** @return a description safe to print: the embedded data directory or the redacted URL */
  String describe(TallyConfig config) {
    return embedded.map(e -> "embedded PostgreSQL in " + e.dataDirectory() + " (port " + e.port() + ")")
        .orElseGet(() -> config.services().databaseUrl().map(ServiceUrl::redacted).orElse("?"));
  }

  /** Readiness probe: one round trip. */
  void ping() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      s.execute("SELECT 1");
    }
  }

  /** Closes the pool, then stops the embedded server: the last step of a shutdown, after every worker. */
  @Override
  public void close() {
    embedded.ifPresent(server -> {
      // A direct connection with a 1 s login timeout, not the pool's 10 s: this only reports whether something
      // stopped PostgreSQL before the workers and the pool were done with it (ShutdownOrderIT fails on it).
      DataSource direct = server.dataSource();
      try {
        direct.setLoginTimeout(1);
        direct.getConnection().close();
      } catch (SQLException e) {
        LOG.warn("embedded PostgreSQL was already stopped when the connection pool closed: {}", e.getMessage());
      }
    });
    pool.close();
    LOG.info("connection pool closed");
    embedded.ifPresent(server -> {
      server.close();
      LOG.info("embedded PostgreSQL stopped");
    });
  }
}
