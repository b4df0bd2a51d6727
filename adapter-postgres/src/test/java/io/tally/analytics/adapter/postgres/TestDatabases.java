package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.testing.RequiredService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database per test class on the machine's PostgreSQL (127.0.0.1:5432, user postgres,
 * trust auth), dropped after the class, so classes never see each other's rows:
 *
 * <pre>{@code @RegisterExtension static final TestDatabases db = new TestDatabases();}</pre>
 *
 * <p>An unreachable server is reported by {@link RequiredService}: printed, then a failure under {@code CI=true}
 * and a skip elsewhere.
 */
public final class TestDatabases implements BeforeAllCallback, AfterAllCallback {

  static final String HOST = System.getProperty("tally.test.pg.host", "127.0.0.1");
  static final int PORT = Integer.getInteger("tally.test.pg.port", 5432);
  static final String USER = System.getProperty("tally.test.pg.user", "postgres");

  private String name;
  private PGSimpleDataSource dataSource;
  private Jdbi jdbi;

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    name = create(context.getRequiredTestClass().getSimpleName());
    dataSource = dataSource(name);
    PostgresMigrator.migrate(dataSource);
    jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (name != null) {
      drop(name);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public String databaseName() {
    return name;
  }

  /** Creates an empty database named after the caller (not migrated); reachability rules as above. */
  public static String create(String label) throws SQLException {
    String db =
        ("tally_test_" + label.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36))
            .toLowerCase(Locale.ROOT);
    if (db.length() > 63) {
      db = db.substring(db.length() - 63);
    }
    try (Connection c = adminConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return db;
  }

  /** Drops a database created by {@link #create}, disconnecting leftover sessions. */
  public static void drop(String db) throws SQLException {
    try (Connection c = adminConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
  }

  public static PGSimpleDataSource dataSource(String db) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {HOST});
    ds.setPortNumbers(new int[] {PORT});
    ds.setUser(USER);
    ds.setDatabaseName(db);
    ds.setApplicationName("tally-test");
    return ds;
  }

  private static Connection adminConnection() throws SQLException {
    try {
      return dataSource("postgres").getConnection();
    } catch (SQLException e) {
      throw RequiredService.unreachable("PostgreSQL at " + HOST + ":" + PORT, e);
    }
  }
}
