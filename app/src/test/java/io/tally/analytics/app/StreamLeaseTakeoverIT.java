package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
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

  private LeasedServers servers;

  @AfterEach
  void tearDown() throws Exception {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theStandbyTakesOverWithinTenSecondsOfAKillNineAndTheEndStateIsExact() throws Exception {
    servers = new LeasedServers("lease", "stream-lease");
    StreamScenario scenario = servers.scenario;
    SeedRun seeded = scenario.seed("lease-seed", EVENTS, 12);
    long last = scenario.lastOffset();

    servers.start("instance-a", BATCH, "");
    servers.start("instance-b", BATCH, "");
    servers.await(() -> scenario.committedOffset() >= last / 5, "a first fifth committed");
    String holder = servers.leaseHolder().orElseThrow();
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
    assertThat(servers.child(holder).kill()).isEqualTo(137);
    long killedAt = System.nanoTime();
    long atKill = scenario.committedOffset();
    servers.await(() -> servers.leaseHolder().filter(standby::equals).isPresent()
        && scenario.committedOffset() > atKill, "the standby takes over and commits");
    long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.printf("StreamLeaseTakeoverIT last_offset=%d killed_at_offset=%d takeover_ms=%d%n", last, atKill,
        takeoverMillis);
    assertThat(takeoverMillis).as("from SIGKILL to the standby's first commit").isLessThan(TAKEOVER_LIMIT_MILLIS);
    assertThat(readyStream(standby).get("leaseHolder").asText()).isEqualTo(standby);

    servers.await(() -> scenario.committedOffset() >= last, "the new holder commits up to " + last);
    servers.child(standby).stop();
    assertThat(servers.leaseHolder()).as("released on a graceful stop").isEmpty();
    scenario.assertIngestedExactlyOnce(seeded, last);
  }

  private JsonNode readyStream(String instance) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servers.port(instance)
        + "/analytics/v1/status/readyz")).GET().build(), HttpResponse.BodyHandlers.ofString());
    return RunningTally.JSON.readTree(r.body()).at("/components/stream");
  }
}
