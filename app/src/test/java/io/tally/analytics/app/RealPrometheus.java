package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a free loopback port with its data in a temporary
 * directory, configured from {@code docs/prometheus/prometheus.yml} with the target replaced and the scrape and
 * evaluation intervals shortened to one second. Closing stops it and deletes the directory.
 */
final class RealPrometheus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path dir;
  final String url;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RealPrometheus(Process process, Path dir, String url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /** @param target {@code host:port} of the Tally to scrape */
  static RealPrometheus scraping(String target) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tally-prometheus-");
    String config = DocsFiles.read("prometheus/prometheus.yml")
        .replace("127.0.0.1:8080", target)
        .replace("scrape_interval: 15s", "scrape_interval: 1s")
        .replace("evaluation_interval: 15s", "evaluation_interval: 1s");
    if (!config.contains(target)) {
      throw new IllegalStateException("docs/prometheus/prometheus.yml no longer targets 127.0.0.1:8080");
    }
    Files.writeString(dir.resolve("prometheus.yml"), config);
    Files.writeString(dir.resolve("alerts.yml"), DocsFiles.read("prometheus/alerts.yml"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p;
    try {
      p = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("prometheus is not installed: scripts/services installs Debian's prometheus package", e);
    }
    RealPrometheus prometheus = new RealPrometheus(p, dir, "http://127.0.0.1:" + port);
    prometheus.awaitReady();
    return prometheus;
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + log());
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready within 30 s: " + log());
  }

  HttpResponse<String> get(String path) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return the JSON answer of an instant query at the current time */
  JsonNode query(String promql) {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }

  JsonNode json(String path) {
    try {
      return JSON.readTree(get(path).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
