package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.http.GoldenJsonChecks;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two servers on one PostgreSQL database (docs/scaling.md): the golden file (DESIGN §5) posted in order, its batches
 * alternating between the two, while both rollup workers and both export workers run. Both answer exactly the
 * golden figures, exports created on either are delivered once and alike, and {@code verify} finds no drift and an
 * intact audit chain that both instances appended to. They share {@code DATA_DIR} as two instances must for the
 * embedded export store (the files and the keys that sign their links and seal route secrets live there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesIT {
  static final int BATCH = 1_000;
  static final int EXPORTS = 4;

  final GoldenDataset golden = GoldenDataset.load();
  final Expected expected = golden.expected();
  final String orgs = expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(","));
  FreshDatabase database;
  RunningTally a;
  RunningTally b;
  final long[] counts = new long[4];

  @BeforeAll
  void startBothAndIngestHalfThroughEach() throws Exception {
    database = new FreshDatabase();
    Path dataDir = Files.createTempDirectory("tally-two-");
    Map<String, String> env = Map.of("ROLLUP_INTERVAL", "200ms", "EXPORT_WORKER_INTERVAL", "100ms");
    a = RunningTally.onDatabase(database.url(), dataDir, env);
    b = RunningTally.onDatabase(database.url(), dataDir, env);
    Map<String, String> ingestor = actor("ingest-svc", "ingestor", orgs);
    List<String> lines = golden.rawLines();
    int batch = 0;
    for (int from = 0; from < lines.size(); from += BATCH, batch++) {
      String body = "{\"events\": [" + String.join(",", lines.subList(from, Math.min(lines.size(), from + BATCH)))
          + "]}";
      HttpResponse<String> response = (batch % 2 == 0 ? a : b).send("POST", "/analytics/v1/events", body, ingestor);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode report = json(response);
      counts[0] += report.get("accepted").asLong();
      counts[1] += report.get("duplicates").asLong();
      counts[2] += report.get("conflicts").asLong();
      counts[3] += report.get("rejected").asLong();
    }
    // Both workers keep running; this drains what they have not reached yet, racing them on purpose.
    RollupDrain.drain(a.app.services().rollup());
  }

  @AfterAll
  void stop() {
    for (RunningTally t : new RunningTally[] {a, b}) {
      if (t != null) {
        t.close();
      }
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void countsMatch() {
    assertThat(counts).containsExactly(expected.uniqueValid(), expected.duplicates(), expected.conflicts(),
        expected.invalid());
  }

  @Test
  void bothInstancesAnswerExactly() {
    for (RunningTally t : new RunningTally[] {a, b}) {
      GoldenJsonChecks checks = new GoldenJsonChecks(expected, (org, api, extra) -> get(t, org, api, extra));
      checks.usageMatchesExactly();
      checks.percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres();
    }
  }

  @Test
  void exportsCreatedOnEitherAreDeliveredOnceAndAlike() throws Exception {
    String org = expected.orgs().get(0).toString();
    Map<String, String> finance = actor("fin", "analyst", org);
    String request = """
        {"timeRange": {"start": "%s", "end": "%s"}, "granularity": "daily"}"""
        .formatted(expected.start(), expected.end());
    List<String> files = new ArrayList<>();
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < EXPORTS; i++) {
      ExportDownloads on = new ExportDownloads(i % 2 == 0 ? a : b, org, finance);
      jobs.add(on.create(request));
    }
    for (int i = 0; i < EXPORTS; i++) {
      // Fetched through the other instance than the one that took the request.
      ExportDownloads other = new ExportDownloads(i % 2 == 0 ? b : a, org, finance);
      JsonNode job = other.awaitStatus(jobs.get(i), "succeeded");
      assertThat(job.get("attempts").asInt()).as(job.toString()).isEqualTo(1);
      HttpResponse<byte[]> file = ExportDownloads.fetch(other.link(jobs.get(i)));
      assertThat(file.statusCode()).isEqualTo(200);
      files.add(new String(file.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThat(files.get(0).lines().count()).isGreaterThan(1);
    assertThat(files).allMatch(files.get(0)::equals);
  }

  @Test
  void verifyFindsNoDriftAndAnIntactAuditChainBothAppendedTo() {
    StringWriter out = new StringWriter();
    int exit = TallyCli.commandLine(a.env, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
        .execute("verify", "--start", expected.start().toString(), "--end", expected.end().toString());
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("VERIFY orgs=" + expected.orgs().size() + " ", "drifting=0", "audit=ok");
  }

  private JsonNode get(RunningTally t, UUID org, String api, String extra) {
    HttpResponse<String> response = t.get("/analytics/v1/orgs/" + org + "/" + api + "?start=" + expected.start()
        + "&end=" + expected.end() + "&granularity=daily" + extra, actor("dash", "viewer", orgs));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }
}
