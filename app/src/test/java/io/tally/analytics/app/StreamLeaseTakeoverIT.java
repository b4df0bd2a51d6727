package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two {@code tally serve} processes on one database and one stream: exactly one holds the stream lease and
 * consumes, the other's {@code readyz} says {@code standby} and names the holder. The holder is killed with SIGKILL
 * mid-consumption; the standby takes the lease over and commits within 10 s of the kill (lease 4 s, the default),
 * consumes to the end and is stopped with SIGTERM. The end state is exact by the crash test's checks (rows, dead
 * letters, committed offset, {@code verify} with no drift). The children's logs are under
 * {@code target/stream-lease/}.
 */
class StreamLeaseTakeoverIT {
  private static final int EVENTS = 120_000;
  private static final int BATCH = 200;
  private static final long TAKEOVER_LIMIT_MILLIS = 10_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Map<String, ServeProcess> children = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private StreamScenario scenario;
  private Path logs;

  @AfterEach
  void tearDown() throws Exception {
    for (ServeProcess child : children.values()) {
      child.close();
    }
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theStandbyTakesOverWithinTenSecondsOfAKillNineAndTheEndStateIsExact() throws Exception {
    scenario = new StreamScenario("lease");
    logs = Path.of("target", "stream-lease", scenario.stream);
    StringWriter migrateErr = new StringWriter();
    assertThat(TallyCli.commandLine(scenario.cliEnv(), new PrintWriter(new StringWriter()),
        new PrintWriter(migrateErr, true)).execute("migrate")).as(migrateErr.toString()).isZero();
    SeedRun seeded = scenario.seed("lease-seed", EVENTS, 12);
    long last = scenario.lastOffset();

    start("instance-a");
    start("instance-b");
    await(() -> scenario.committedOffset() >= last / 5, "a first fifth committed");
    String holder = leaseHolder().orElseThrow();
    String standby = holder.equals("instance-a") ? "instance-b" : "instance-a";
    JsonNode active = readyStream(holder);
    JsonNode waiting = readyStream(standby);
    assertThat(active.get("leaseHolder").asText()).as(active.toString()).isEqualTo(holder);
    assertThat(active.get("state").asText()).as(active.toString()).isIn("running", "reconnecting");
    assertThat(waiting.get("state").asText()).as(waiting.toString()).isEqualTo("standby");
    assertThat(waiting.get("leaseHolder").asText()).as(waiting.toString()).isEqualTo(holder);
    assertThat(waiting.get("status").asText()).as("a standby is ready: it serves everything else").isEqualTo("up");

    long before = scenario.committedOffset();
    assertThat(before).as("killed mid-consumption").isLessThan(last);
    assertThat(children.get(holder).kill()).isEqualTo(137);
    long killedAt = System.nanoTime();
    long atKill = scenario.committedOffset();
    await(() -> leaseHolder().filter(standby::equals).isPresent() && scenario.committedOffset() > atKill,
        "the standby takes over and commits");
    long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.printf("StreamLeaseTakeoverIT last_offset=%d killed_at_offset=%d takeover_ms=%d%n", last, atKill,
        takeoverMillis);
    assertThat(takeoverMillis).as("from SIGKILL to the standby's first commit").isLessThan(TAKEOVER_LIMIT_MILLIS);
    assertThat(readyStream(standby).get("leaseHolder").asText()).isEqualTo(standby);

    await(() -> scenario.committedOffset() >= last, "the new holder commits up to " + last);
    children.get(standby).stop();
    assertThat(leaseHolder()).as("released on a graceful stop").isEmpty();
    scenario.assertIngestedExactlyOnce(seeded, last);
  }

  private void start(String instance) throws Exception {
    Map<String, String> env = new HashMap<>(scenario.consumerEnv(BATCH));
    env.put("DATABASE_URL", scenario.database.url());
    int port = freePort();
    ports.put(instance, port);
    env.put("HTTP_PORT", Integer.toString(port));
    env.put("DATA_DIR", logs.resolve("data").toString());
    env.put("INSTANCE_ID", instance);
    env.put("ROLLUP_INTERVAL", "1s");
    children.put(instance, ServeProcess.start(env, logs.resolve(instance + ".log")));
  }

  private Optional<String> leaseHolder() {
    try (Connection c = scenario.database.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT holder FROM analytics.stream_leases WHERE stream = ? AND consumer = ? AND expires_at > now()")) {
      ps.setString(1, scenario.stream);
      ps.setString(2, scenario.consumer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode readyStream(String instance) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(instance)
        + "/analytics/v1/status/readyz")).GET().build(), HttpResponse.BodyHandlers.ofString());
    return RunningTally.JSON.readTree(r.body()).at("/components/stream");
  }

  private void await(BooleanSupplier done, String what) throws InterruptedException {
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
