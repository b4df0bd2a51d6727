package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.s3.LocalS3Proxy;
import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.core.export.ExportCsv;
import io.tally.analytics.ports.testdata.ExportFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the curl walk-through of docs/exports.md (the {@code ```bash export-tour} block) with bash against a fresh
 * server, exactly as written, once with the embedded store and once with S3Proxy: the downloaded CSV is parsed with
 * an independent parser and must equal the usage API's answer cell by cell and in total, and sha256sum must
 * confirm the manifest's checksum.
 */
class ExportTourIT {
  private static final Pattern TOUR = Pattern.compile("```bash export-tour\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theWalkThroughWorksWithTheEmbeddedStore() throws Exception {
    runTour(Map.of());
  }

  @Test
  void theWalkThroughWorksAgainstS3Proxy() throws Exception {
    runTour(S3ExportsOverHttpIT.s3Env(LocalS3Proxy.newBucket().bucket()));
  }

  private void runTour(Map<String, String> storeEnv) throws Exception {
    Path root = ReadmeTourIT.repositoryRoot();
    Matcher m = TOUR.matcher(Files.readString(root.resolve("docs/exports.md")));
    assertThat(m.find()).as("docs/exports.md has a ```bash export-tour block").isTrue();
    Path script = Files.createTempFile("export-tour-", ".sh");
    Path out = Files.createTempDirectory("export-tour-out-");
    Files.writeString(script, "set -euo pipefail\n" + m.group(1));
    java.util.HashMap<String, String> env = new java.util.HashMap<>(storeEnv);
    env.put("ROLLUP_INTERVAL", "1s");
    env.put("EXPORT_WORKER_INTERVAL", "200ms");
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-export-tour-"),
            env)) {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(root.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("TALLY_URL", tally.baseUrl);
      pb.environment().put("EXPORT_OUT", out.toString());
      pb.environment().put("LOG_LEVEL", "WARN");
      Process p = pb.start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(printed).isZero();
      List<String> lines = new ArrayList<>(printed.lines().filter(l -> !l.isBlank()).toList());
      assertThat(lines).as(printed).hasSize(4);
      assertThat(lines.get(0)).startsWith("SEED published=5000");
      JsonNode job = RunningTally.JSON.readTree(lines.get(1));
      assertThat(job.get("status").asText()).as(lines.get(1)).isEqualTo("succeeded");
      assertThat(lines.get(2)).isEqualTo(out.resolve("usage.csv") + ": OK");

      byte[] csv = Files.readAllBytes(out.resolve("usage.csv"));
      assertThat(ExportFiles.sha256(csv)).isEqualTo(job.at("/manifest/sha256").asText());
      List<List<String>> rows = ExportFiles.parse(csv, ExportCompression.NONE);
      JsonNode usage = RunningTally.JSON.readTree(lines.get(3));
      JsonNode series = usage.get("series");
      assertThat(rows.get(0)).containsExactlyElementsOf(ExportCsv.USAGE_COLUMNS);
      assertThat(rows).hasSize(series.size() + 1);
      long[] sums = new long[6];
      for (int i = 0; i < series.size(); i++) {
        JsonNode point = series.get(i);
        List<String> row = rows.get(i + 1);
        assertThat(row).containsExactly(point.get("bucketStart").asText(),
            point.get("modelId").asText(), point.get("requests").asText(), point.get("errors").asText(),
            point.get("inputTokens").asText(), point.get("outputTokens").asText(),
            point.get("costMicros").asText(), ExportCsv.usd(point.get("costMicros").asLong()),
            point.get("unpricedRequests").asText());
        for (int c = 0; c < 5; c++) {
          sums[c] += Long.parseLong(row.get(2 + c));
        }
        sums[5] += Long.parseLong(row.get(8));
      }
      JsonNode totals = usage.get("totals");
      assertThat(sums).containsExactly(totals.get("requests").asLong(), totals.get("errors").asLong(),
          totals.get("inputTokens").asLong(), totals.get("outputTokens").asLong(),
          totals.get("costMicros").asLong(), totals.get("unpricedRequests").asLong());
      assertThat(sums[0]).isPositive();
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
