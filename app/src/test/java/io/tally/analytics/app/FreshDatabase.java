package io.tally.analytics.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A new, empty database on the machine's PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. */
final class FreshDatabase implements AutoCloseable {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  final String name;

  FreshDatabase() {
    this.name = "tally_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE DATABASE " + name);
  }

  /** A database with a fixed name (benchmarks): whatever an interrupted run left under it is dropped first. */
  FreshDatabase(String name) {
    this.name = name;
    close();
    execute("CREATE DATABASE " + name);
  }

  /** @return a {@code DATABASE_URL} in the libpq form, which the app must convert */
  String url() {
    return "postgres://postgres@127.0.0.1:5432/" + name;
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("local PostgreSQL on 127.0.0.1:5432 is required: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
