package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.s3.LocalS3Proxy;
import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.ports.testdata.ExportFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the server in the middle of an export: a second server takes the job over once the lease lapses,
 * discards what the dead attempt left, and the job ends SUCCEEDED with exactly one complete file and its
 * manifest, whose checksum and row count match, and no incomplete upload anywhere.
 */
class ExportCrashIT {
  private static final int ROWS = 600_000;
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-0000000000c9");
  private static final Map<String, String> FINANCE = actor("fin", "analyst", ORG.toString());
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aKilledWorkersLocalExportIsTakenOverAndDeliveredOnce() throws Exception {
    Path work = Files.createTempDirectory("tally-export-crash-");
    crashAndRecover(work, Map.of(), StoredExports.directory(work.resolve("data/exports")));
  }

  @Test
  void aKilledWorkersS3ExportIsTakenOverAndDeliveredOnce() throws Exception {
    String bucket = LocalS3Proxy.newBucket().bucket();
    crashAndRecover(Files.createTempDirectory("tally-export-crash-s3-"), S3ExportsOverHttpIT.s3Env(bucket),
        StoredExports.bucket(bucket));
  }

  private void crashAndRecover(Path work, Map<String, String> storeEnv, StoredExports store) throws Exception {
    try (FreshDatabase database = new FreshDatabase()) {
      Map<String, String> env = new HashMap<>(storeEnv);
      env.put("DATABASE_URL", database.url());
      env.put("DATA_DIR", work.resolve("data").toString());
      env.put("HTTP_PORT", Integer.toString(freePort()));
      env.put("EXPORT_WORKER_INTERVAL", "100ms");
      env.put("EXPORT_WORKER_LEASE", "3s");
      env.put("EXPORT_RAW_MAX_ROWS", Integer.toString(ROWS));
      env.put("RATE_LIMIT_PER_MINUTE", "0");
      String base = "http://127.0.0.1:" + env.get("HTTP_PORT");
      Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
      String jobId;
      String prefix;
      try (ServeProcess first = ServeProcess.start(env, work.resolve("serve-1.log"))) {
        awaitHealthy(base, first);
        RawEventLoader.load(RawEventLoader.jdbi(database.name), ORG, day, Duration.ofDays(1), ROWS);
        jobId = RunningTally.json(send(base, "POST", "/analytics/v1/orgs/" + ORG + "/exports", """
            {"timeRange": {"start": "%s", "end": "%s"}, "kind": "raw"}""".formatted(day, day.plus(Duration.ofDays(1)))))
            .get("jobId").asText();
        prefix = "exports/" + ORG + "/" + jobId + "/";
        JsonNode running = awaitJob(base, jobId, Duration.ofSeconds(60),
            j -> j.get("rowsWritten").asLong() > 0 || j.get("status").asText().equals("succeeded"));
        assertThat(running.get("status").asText()).as("the export must still be running when it is killed; %s",
            running).isEqualTo("running");
        assertThat(first.kill()).isEqualTo(137);
        String orphaned = RawEventLoader.jdbi(database.name).withHandle(h -> h.createQuery(
            "SELECT status FROM analytics.export_jobs WHERE job_id = :id").bind("id", jobId).mapTo(String.class).one());
        assertThat(orphaned).as("nobody finishes a dead worker's job").isEqualTo("running");
        assertThat(store.keys(prefix)).as("nothing delivered").isEmpty();
      }
      try (ServeProcess second = ServeProcess.start(env, work.resolve("serve-2.log"))) {
        awaitHealthy(base, second);
        JsonNode done = awaitJob(base, jobId, Duration.ofSeconds(120),
            j -> !j.get("status").asText().equals("running") && !j.get("status").asText().equals("pending"));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("errorCode").asText()).isEqualTo("export.worker_lost");
        String key = done.at("/manifest/objectKey").asText();
        assertThat(key).startsWith(prefix + "2/");
        assertThat(store.keys(prefix)).as("exactly one file and its manifest")
            .containsExactly(key, key + ".manifest.json");
        assertThat(store.incomplete(prefix)).as("incomplete uploads left").isZero();
        byte[] file = store.read(key);
        assertThat(ExportFiles.sha256(file)).isEqualTo(done.at("/manifest/sha256").asText());
        assertThat(done.at("/manifest/rows").asLong()).isEqualTo(ROWS);
        List<List<String>> rows = ExportFiles.parse(file, ExportCompression.NONE);
        assertThat(rows).hasSize(ROWS + 1);
        assertThat(rows.get(1).get(1)).isEqualTo("ev-000000000");
        assertThat(rows.get(ROWS).get(1)).isEqualTo(String.format("ev-%09d", ROWS - 1));
        JsonNode manifest = RunningTally.JSON.readTree(store.read(key + ".manifest.json"));
        assertThat(manifest.get("sha256").asText()).isEqualTo(done.at("/manifest/sha256").asText());
        second.stop();
      }
    }
    // Only after a pass: a failed run keeps its logs and files for inspection.
    deleteTree(work);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private JsonNode job(String base, String jobId) {
    return RunningTally.json(send(base, "GET", "/analytics/v1/orgs/" + ORG + "/exports/" + jobId, null));
  }

  private JsonNode awaitJob(String base, String jobId, Duration timeout, java.util.function.Predicate<JsonNode> until)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode job = job(base, jobId);
    while (!until.test(job) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      job = job(base, jobId);
    }
    return job;
  }

  private void awaitHealthy(String base, ServeProcess process) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("serve exited: %s", process.tail()).isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/analytics/v1/status/healthz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("serve did not become healthy: " + process.tail());
  }

  private HttpResponse<String> send(String base, String method, String path, String body) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    FINANCE.forEach(r::header);
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    try {
      return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
