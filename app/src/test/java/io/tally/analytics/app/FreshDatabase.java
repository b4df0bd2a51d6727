package io.tally.analytics.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A new, empty database on the machine's PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. */
final class FreshDatabase implements AutoCloseable {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final String STORED_OFFSET =
      "SELECT coalesce(max(last_offset), -1) FROM analytics.stream_offsets WHERE stream = ? AND consumer = ?";

  final String name;

  FreshDatabase() {
    this.name = "tally_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
  }

  /** A database with a fixed name (benchmarks): whatever an interrupted run left under it is dropped first. */
  FreshDatabase(String name) {
    this.name = name;
    close();
    admin("CREATE DATABASE " + name);
  }

  /** @return a {@code DATABASE_URL} in the libpq form, which the app must convert */
  String url() {
    return "postgres://postgres@127.0.0.1:5432/" + name;
  }

  /** @return a connection of the test's own, outside the application's pool */
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres");
  }

  /** @return rows in {@code analytics.usage_events} */
  long usageEvents() {
    return withConnection(c -> queryLong(c, "SELECT count(*) FROM analytics.usage_events"));
  }

  /** @return rows in {@code analytics.dead_letters} */
  long deadLetters() {
    return withConnection(c -> queryLong(c, "SELECT count(*) FROM analytics.dead_letters"));
  }

  /** @return the offset committed with the rows for this stream and consumer, -1 when none is */
  long storedOffset(String stream, String consumer) {
    return withConnection(c -> storedOffset(c, stream, consumer));
  }

  static long storedOffset(Connection c, String stream, String consumer) throws SQLException {
    return queryLong(c, STORED_OFFSET, stream, consumer);
  }

  /**
   * Lets clients connect again, or shuts them out: refuses new connections to this database and ends every
   * session on it except the backend {@code sparedPid} (the test's observer; -1 spares none). The server and
   * its other databases are untouched.
   */
  void allowConnections(boolean allowed, int sparedPid) {
    admin("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS " + allowed);
    if (!allowed) {
      admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "' AND pid <> "
          + sparedPid);
    }
  }

  static long queryLong(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  private interface Query {
    long run(Connection c) throws SQLException;
  }

  private long withConnection(Query query) {
    try (Connection c = connect()) {
      return query.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("query on " + name + " failed: " + e.getMessage(), e);
    }
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("local PostgreSQL on 127.0.0.1:5432 is required: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
