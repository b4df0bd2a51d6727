package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** Drives the export API of a running server as a client would: create, wait, follow the signed link. */
final class ExportDownloads {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final RunningTally tally;
  private final String org;
  private final Map<String, String> actor;

  ExportDownloads(RunningTally tally, String org, Map<String, String> actor) {
    this.tally = tally;
    this.org = org;
    this.actor = actor;
  }

  String base() {
    return "/analytics/v1/orgs/" + org + "/exports";
  }

  /** @return the new job's id */
  String create(String body) {
    HttpResponse<String> created = tally.send("POST", base(), body, actor);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return RunningTally.json(created).get("jobId").asText();
  }

  JsonNode job(String jobId) {
    HttpResponse<String> r = tally.get(base() + "/" + jobId, actor);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return RunningTally.json(r);
  }

  /** @return the job once {@code until} holds (polled every 50 ms, at most {@code timeout}) */
  JsonNode awaitJob(String jobId, Duration timeout, Predicate<JsonNode> until) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode job = job(jobId);
    while (!until.test(job) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      job = job(jobId);
    }
    assertThat(until.test(job)).as("job never reached the expected state: %s", job).isTrue();
    return job;
  }

  JsonNode awaitStatus(String jobId, String status) throws InterruptedException {
    return awaitJob(jobId, Duration.ofSeconds(90), j -> j.get("status").asText().equals(status));
  }

  /** @return the signed URL {@code …/download} redirects to */
  String link(String jobId) {
    HttpResponse<String> redirect = tally.get(base() + "/" + jobId + "/download", actor);
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Cache-Control")).hasValue("no-store");
    return redirect.headers().firstValue("Location").orElseThrow();
  }

  /** @return what a client without any Tally credentials gets from a URL */
  static HttpResponse<byte[]> fetch(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
