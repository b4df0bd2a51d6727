package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Several {@code tally serve} processes consuming one {@link StreamScenario}'s stream behind the stream lease: the
 * database migrated first, each child started with its {@code INSTANCE_ID}, the lease's holder read from the
 * database. Logs under {@code target/<logDir>/<stream>/}. Closing kills what is still running.
 */
final class LeasedServers implements AutoCloseable {
  final StreamScenario scenario;
  final Path logs;
  final Map<String, ServeProcess> children = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();

  LeasedServers(String name, String logDir) {
    this.scenario = new StreamScenario(name);
    this.logs = Path.of("target", logDir, scenario.stream);
    StringWriter migrateErr = new StringWriter();
    assertThat(TallyCli.commandLine(scenario.cliEnv(), new PrintWriter(new StringWriter()),
        new PrintWriter(migrateErr, true)).execute("migrate")).as(migrateErr.toString()).isZero();
  }

  /** @param databaseUrlSuffix appended to the database URL (a query string), or empty */
  void start(String instance, int batch, String databaseUrlSuffix) throws IOException {
    Map<String, String> env = new HashMap<>(scenario.consumerEnv(batch));
    env.put("DATABASE_URL", scenario.database.url() + databaseUrlSuffix);
    int port = freePort();
    ports.put(instance, port);
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("DATA_DIR", logs.resolve("data").toString());
    env.put("INSTANCE_ID", instance);
    env.put("ROLLUP_INTERVAL", "1s");
    children.put(instance, ServeProcess.start(env, logs.resolve(instance + ".log")));
  }

  ServeProcess child(String instance) {
    return children.get(instance);
  }

  int port(String instance) {
    return ports.get(instance);
  }

  /** @return the instance holding an unexpired stream lease, by the database */
  Optional<String> leaseHolder() {
    try (Connection c = scenario.database.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT holder FROM analytics.stream_leases WHERE stream = ? AND consumer = ? AND expires_at > now()")) {
      ps.setString(1, scenario.stream);
      ps.setString(2, scenario.consumer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to two minutes; fails with the children's log tails. */
  void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder logsTail = new StringBuilder();
        children.forEach((name, child) -> logsTail.append(name).append(":\n").append(child.tail()).append('\n'));
        fail("timed out waiting until " + what + " (offset " + scenario.committedOffset() + ")\n" + logsTail);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    for (ServeProcess child : children.values()) {
      child.close();
    }
    scenario.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
