package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.http.GoldenJsonChecks;
import io.tally.analytics.adapter.postgres.PostgresPriceBookStore;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DESIGN.md §5 through the real server on a fresh database of the machine's PostgreSQL ({@code DATABASE_URL}):
 * the golden file posted in order in batches of 1,000, the rollup run, then usage and reliability per org.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenOverHttpIT {
  static final int BATCH = 1_000;

  final GoldenDataset golden = GoldenDataset.load();
  final Expected expected = golden.expected();
  final String orgs = expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(","));
  final GoldenJsonChecks checks = new GoldenJsonChecks(expected, this::get);
  FreshDatabase database;
  RunningTally tally;
  long accepted;
  long duplicates;
  long conflicts;
  long rejected;

  @BeforeAll
  void ingestAndRollUp() throws Exception {
    database = new FreshDatabase();
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-golden-"),
        Map.of("ROLLUP_INTERVAL", "1h"));
    // Every golden event carries its own costMicros, and the client's cost wins: a price book that disagrees
    // with those costs must leave the golden answers unchanged.
    new PostgresPriceBookStore(tally.app.services().database().jdbi()).put(List.of(
        new PriceEntry(new ModelPrice("llama-3-70b", Instant.parse("2026-01-01T00:00:00Z"), 600_000, 2_400_000),
            "golden-it", Instant.parse("2026-01-01T00:00:00Z")),
        new PriceEntry(new ModelPrice("mistral-7b", Instant.parse("2026-01-01T00:00:00Z"), 100_000, 300_000),
            "golden-it", Instant.parse("2026-01-01T00:00:00Z"))));
    Map<String, String> ingestor = actor("ingest-svc", "ingestor", orgs);
    List<String> lines = golden.rawLines();
    for (int from = 0; from < lines.size(); from += BATCH) {
      String body = "{\"events\": [" + String.join(",", lines.subList(from, Math.min(lines.size(), from + BATCH)))
          + "]}";
      HttpResponse<String> response = tally.send("POST", "/analytics/v1/events", body, ingestor);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode report = json(response);
      accepted += report.get("accepted").asLong();
      duplicates += report.get("duplicates").asLong();
      conflicts += report.get("conflicts").asLong();
      rejected += report.get("rejected").asLong();
    }
    RollupDrain.drain(tally.app.services().rollup());
  }

  @AfterAll
  void stop() {
    if (tally != null) {
      tally.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void countsMatch() {
    assertThat(new long[] {accepted, duplicates, conflicts, rejected}).containsExactly(expected.uniqueValid(),
        expected.duplicates(), expected.conflicts(), expected.invalid());
  }



  @Test
  void usageMatchesExactly() {
    checks.usageMatchesExactly();
  }

  @Test
  void percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres() {
    checks.percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres();
  }

  @Test
  void verifyFindsNoDriftAndAnIntactAuditChain() {
    java.io.StringWriter out = new java.io.StringWriter();
    int exit = TallyCli.commandLine(tally.env, new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(new java.io.StringWriter(), true))
        .execute("verify", "--start", expected.start().toString(), "--end", expected.end().toString());
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("VERIFY orgs=" + expected.orgs().size() + " ", "drifting=0", "audit=ok");
  }

  private JsonNode get(UUID org, String api, String extra) {
    HttpResponse<String> response = tally.get("/analytics/v1/orgs/" + org + "/" + api + "?start="
        + expected.start() + "&end=" + expected.end() + "&granularity=daily" + extra, actor("dash", "viewer", orgs));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }



}
