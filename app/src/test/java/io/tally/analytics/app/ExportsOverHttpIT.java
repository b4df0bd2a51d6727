package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.core.export.ExportCsv;
import io.tally.analytics.ports.testdata.ExportFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exports through the real server, over HTTP, with the worker running: usage and raw files parsed with an
 * independent CSV parser cell by cell and reconciled with the usage API to the token and micro-unit, manifests
 * checked against the bytes, signed links refused when tampered with or expired, the raw row cap, cancel,
 * readiness and metrics. Subclasses choose the object store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExportsOverHttpIT {
  static final String ORG = "00000000-0000-0000-0000-0000000000e9";
  static final Map<String, String> FINANCE = actor("fin", "analyst", ORG);
  static final int EVENTS = 1_800;
  static final int RAW_MAX_ROWS = 1_000;
  static final List<String> MODELS = List.of("llama-3-70b", "mistral-7b", "@evil", "+cmd", "-neg+1");

  private FreshDatabase database;
  Path dataDir;
  RunningTally tally;
  ExportDownloads exports;
  Instant day0;
  final List<Map<String, Object>> sent = new ArrayList<>();

  /** @return settings that choose the object store (S3 variables, or nothing for the local default) */
  abstract Map<String, String> storeEnv();

  /** @return the object store as it really is, read without Tally */
  abstract StoredExports stored();

  private List<String> storedKeys(String prefix) {
    assertThat(stored().incomplete(prefix)).as("incomplete uploads under " + prefix).isZero();
    return stored().keys(prefix);
  }

  /** @return the status a refused signed link gets (S3 answers 403 for both tampered and expired) */
  abstract int expiredStatus();

  @BeforeAll
  void startAndIngest() throws Exception {
    database = new FreshDatabase();
    dataDir = Files.createTempDirectory("tally-exports-");
    Map<String, String> env = new HashMap<>(storeEnv());
    env.put("ROLLUP_INTERVAL", "200ms");
    env.put("EXPORT_WORKER_INTERVAL", "100ms");
    env.put("EXPORT_RAW_MAX_ROWS", Integer.toString(RAW_MAX_ROWS));
    env.put("EXPORT_SIGNED_URL_TTL", "4s");
    tally = RunningTally.onDatabase(database.url(), dataDir, env);
    exports = new ExportDownloads(tally, ORG, FINANCE);
    day0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(4));
    ingest();
  }

  @AfterAll
  void stop() {
    tally.close();
    database.close();
  }

  private void ingest() throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < EVENTS; i++) {
      Map<String, Object> e = new HashMap<>();
      e.put("eventId", i % 97 == 0 ? "=HYPERLINK(\"http://x\",\"n" + i + "\")" : "ev-" + i + (i % 5 == 0 ? ",q\"" : ""));
      e.put("orgId", ORG);
      e.put("occurredAt", day0.plusMillis(rnd.nextLong(Duration.ofDays(3).toMillis())).toString());
      e.put("modelId", MODELS.get(rnd.nextInt(MODELS.size())));
      e.put("inputTokens", rnd.nextLong(5_000));
      e.put("outputTokens", rnd.nextLong(2_000));
      e.put("costMicros", rnd.nextLong(90_000_000));
      e.put("latencyMs", rnd.nextLong(4_000));
      boolean error = rnd.nextInt(20) == 0;
      e.put("status", error ? "error" : "success");
      if (error) {
        e.put("errorCode", "upstream_timeout");
      }
      if (rnd.nextBoolean()) {
        e.put("region", "@us-east");
      }
      if (rnd.nextBoolean()) {
        e.put("apiKeyId", "key_" + rnd.nextInt(9));
      }
      sent.add(e);
    }
    for (int from = 0; from < EVENTS; from += 600) {
      String body;
      try {
        body = RunningTally.JSON.writeValueAsString(Map.of("events", sent.subList(from, from + 600)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      HttpResponse<String> r = tally.send("POST", "/analytics/v1/events", body, actor("ingest", "ingestor", ORG));
      assertThat(RunningTally.json(r).get("accepted").asLong()).as(r.body().substring(0, 300)).isEqualTo(600);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (usage("hourly").at("/totals/requests").asLong() < EVENTS && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(usage("hourly").at("/totals/requests").asLong()).isEqualTo(EVENTS);
  }

  JsonNode usage(String granularity) {
    return RunningTally.json(tally.get("/analytics/v1/orgs/" + ORG + "/usage?start=" + day0 + "&end="
        + day0.plus(Duration.ofDays(3)) + "&granularity=" + granularity, FINANCE));
  }

  String request(String kind, String granularity, String compression, Instant start, Instant end) {
    return """
        {"timeRange": {"start": "%s", "end": "%s"}, "granularity": "%s", "kind": "%s", "compression": "%s"}"""
        .formatted(start, end, granularity, kind, compression);
  }

  @Test
  void aUsageExportReconcilesWithTheUsageApiCellByCellAndItsManifestChecksOut() throws Exception {
    String jobId = exports.create(request("usage", "hourly", "none", day0, day0.plus(Duration.ofDays(3))));
    JsonNode job = exports.awaitStatus(jobId, "succeeded");
    HttpResponse<byte[]> file = ExportDownloads.fetch(exports.link(jobId));
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("attachment", job.at("/manifest/fileName").asText());
    byte[] csv = file.body();

    JsonNode m = job.get("manifest");
    assertThat(m.get("bytes").asLong()).isEqualTo(csv.length);
    assertThat(m.get("sha256").asText()).isEqualTo(ExportFiles.sha256(csv));
    assertThat(m.get("columns")).extracting(JsonNode::asText).containsExactlyElementsOf(ExportCsv.USAGE_COLUMNS);
    assertThat(m.at("/query/orgId").asText()).isEqualTo(ORG);
    assertThat(m.at("/query/granularity").asText()).isEqualTo("hourly");
    assertThat(m.get("asOf").isNull()).isFalse();
    assertThat(m.get("tallyVersion").asText()).isNotBlank().isNotEqualTo("unknown");

    List<List<String>> rows = ExportFiles.parse(csv, ExportCompression.NONE);
    JsonNode api = usage("hourly");
    assertThat(rows.get(0)).containsExactlyElementsOf(ExportCsv.USAGE_COLUMNS);
    assertThat(rows).hasSize(api.get("series").size() + 1);
    assertThat(m.get("rows").asLong()).isEqualTo(api.get("series").size());
    long[] sums = new long[6];
    for (int i = 0; i < api.get("series").size(); i++) {
      JsonNode p = api.get("series").get(i);
      List<String> r = rows.get(i + 1);
      String model = p.get("modelId").asText();
      assertThat(r).containsExactly(p.get("bucketStart").asText(), guarded(model), p.get("requests").asText(),
          p.get("errors").asText(), p.get("inputTokens").asText(), p.get("outputTokens").asText(),
          p.get("costMicros").asText(), ExportCsv.usd(p.get("costMicros").asLong()),
          p.get("unpricedRequests").asText());
      for (int c = 0; c < 5; c++) {
        sums[c] += Long.parseLong(r.get(2 + c));
      }
      sums[5] += Long.parseLong(r.get(8));
    }
    JsonNode totals = api.get("totals");
    assertThat(sums).containsExactly(totals.get("requests").asLong(), totals.get("errors").asLong(),
        totals.get("inputTokens").asLong(), totals.get("outputTokens").asLong(), totals.get("costMicros").asLong(),
        totals.get("unpricedRequests").asLong());
    assertThat(sums[0]).isEqualTo(EVENTS);

    String key = m.get("objectKey").asText();
    JsonNode stored = RunningTally.JSON.readTree(stored().read(key + ".manifest.json"));
    assertThat(stored.get("sha256").asText()).isEqualTo(m.get("sha256").asText());
    assertThat(stored.get("rows").asLong()).isEqualTo(m.get("rows").asLong());
    assertThat(stored.get("jobId").asText()).isEqualTo(jobId);
    assertThat(stored.get("asOf").asText()).isEqualTo(m.get("asOf").asText());
    assertThat(stored().read(key)).isEqualTo(csv);
    assertThat(storedKeys("exports/" + ORG + "/" + jobId + "/")).containsExactly(key, key + ".manifest.json");
  }

  @Test
  void aGzippedRawExportListsEveryEventOfTheDayInTimeOrderCellByCell() throws Exception {
    Instant from = day0.plus(Duration.ofDays(1));
    Instant to = from.plus(Duration.ofDays(1));
    String jobId = exports.create(request("raw", "daily", "gzip", from, to));
    JsonNode job = exports.awaitStatus(jobId, "succeeded");
    byte[] gz = ExportDownloads.fetch(exports.link(jobId)).body();
    assertThat(job.at("/manifest/sha256").asText()).isEqualTo(ExportFiles.sha256(gz));
    assertThat(job.at("/manifest/contentType").asText()).isEqualTo("application/gzip");
    List<List<String>> rows = ExportFiles.parse(gz, ExportCompression.GZIP);
    assertThat(ExportFiles.text(gz, ExportCompression.GZIP)).endsWith("\r\n");

    List<Map<String, Object>> expected = sent.stream()
        .filter(e -> !Instant.parse((String) e.get("occurredAt")).isBefore(from)
            && Instant.parse((String) e.get("occurredAt")).isBefore(to))
        .sorted(Comparator.comparing((Map<String, Object> e) -> Instant.parse((String) e.get("occurredAt")))
            .thenComparing(e -> (String) e.get("eventId")))
        .toList();
    assertThat(rows.get(0)).containsExactlyElementsOf(ExportCsv.RAW_COLUMNS);
    assertThat(rows).hasSize(expected.size() + 1);
    assertThat(job.get("rowCount").asLong()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> e = expected.get(i);
      long cost = ((Number) e.get("costMicros")).longValue();
      assertThat(rows.get(i + 1)).as("row %d", i + 1).containsExactly(
          Instant.parse((String) e.get("occurredAt")).toString(), guarded((String) e.get("eventId")),
          guarded((String) e.get("modelId")), (String) e.get("status"), text(e, "errorCode"),
          e.get("inputTokens").toString(), e.get("outputTokens").toString(), Long.toString(cost),
          ExportCsv.usd(cost), e.get("latencyMs").toString(), text(e, "apiKeyId"), "", text(e, "region"));
    }
  }

  @Test
  void aRawExportOverTheCapFailsWithTheCountAndStoresNothing() throws Exception {
    String jobId = exports.create(request("raw", "daily", "none", day0, day0.plus(Duration.ofDays(3))));
    JsonNode job = exports.awaitStatus(jobId, "failed");
    assertThat(job.get("errorCode").asText()).isEqualTo("export.too_many_rows");
    assertThat(job.get("error").asText()).contains(EVENTS + " raw events", "at most " + RAW_MAX_ROWS);
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(storedKeys("exports/" + ORG + "/" + jobId + "/")).isEmpty();
    HttpResponse<String> download = tally.get(exports.base() + "/" + jobId + "/download", FINANCE);
    assertThat(download.statusCode()).isEqualTo(409);
  }

  @Test
  void aSignedLinkIsRefusedWhenTamperedWithOrExpired() throws Exception {
    String jobId = exports.create(request("usage", "daily", "none", day0, day0.plus(Duration.ofDays(3))));
    exports.awaitStatus(jobId, "succeeded");
    String link = exports.link(jobId);
    assertThat(ExportDownloads.fetch(link).statusCode()).isEqualTo(200);
    int sig = Math.max(link.lastIndexOf("signature="), link.lastIndexOf("X-Amz-Signature="));
    int at = link.indexOf('=', sig) + 1;
    String tampered = link.substring(0, at) + (link.charAt(at) == '0' ? '1' : '0') + link.substring(at + 1);
    assertThat(ExportDownloads.fetch(tampered).statusCode()).isEqualTo(403);
    assertThat(ExportDownloads.fetch(link.replace(jobId, jobId.substring(0, jobId.length() - 1) + "x"))
        .statusCode()).isEqualTo(403);
    Thread.sleep(Duration.ofSeconds(6).toMillis());
    HttpResponse<byte[]> expired = ExportDownloads.fetch(link);
    assertThat(expired.statusCode()).isEqualTo(expiredStatus());
    assertThat(new String(expired.body(), StandardCharsets.UTF_8)).doesNotContain("bucket_start");
  }

  @Test
  void aCancelledJobIsNeverDelivered() throws Exception {
    String jobId = exports.create(request("usage", "hourly", "none", day0, day0.plus(Duration.ofDays(3))));
    HttpResponse<String> cancelled = tally.send("DELETE", exports.base() + "/" + jobId, null, FINANCE);
    if (cancelled.statusCode() == 409) {
      // The worker was faster than the request: a finished job is not cancellable, and says so.
      assertThat(RunningTally.json(cancelled).get("error_code").asText()).isEqualTo("export.not_cancellable");
      return;
    }
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(RunningTally.json(cancelled).get("status").asText()).isEqualTo("cancelled");
    Thread.sleep(1_500);
    assertThat(exports.job(jobId).get("status").asText()).isEqualTo("cancelled");
    assertThat(storedKeys("exports/" + ORG + "/" + jobId + "/")).isEmpty();
  }

  @Test
  void readinessAndMetricsShowTheExportSide() {
    JsonNode ready = RunningTally.json(tally.get("/analytics/v1/status/readyz", Map.of()));
    assertThat(ready.at("/components/object_store/status").asText()).as(ready.toString()).isEqualTo("up");
    String metrics = tally.get("/metrics", Map.of()).body();
    assertThat(metrics).contains("analytics_export_jobs_total{kind=\"raw\",status=\"failed\"}",
        "analytics_export_jobs_failed_total{reason=\"export.worker_lost\"}",
        "analytics_export_csv_generation_duration_seconds_count{kind=\"usage\"}");
  }

  private static String guarded(String text) {
    return "=+-@".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  private static String text(Map<String, Object> e, String field) {
    Object v = e.get(field);
    return v == null ? "" : guarded(v.toString());
  }
}
