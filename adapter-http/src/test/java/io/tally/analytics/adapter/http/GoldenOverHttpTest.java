package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.GoldenDataset.Expected;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** DESIGN.md §5 through HTTP: the golden file posted in batches, then read back through the usage APIs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenOverHttpTest {
  static final int BATCH = 5_000;

  final GoldenDataset golden = GoldenDataset.load();
  final Expected expected = golden.expected();
  final ApiFixture api = new ApiFixture();
  final Map<String, String> ingestor = ActorHeaders.actor("ingest-svc", "ingestor",
      expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(",")));
  final Map<String, String> reader = ActorHeaders.actor("dash", "viewer",
      expected.orgs().stream().map(UUID::toString).collect(Collectors.joining(",")));
  final GoldenJsonChecks checks = new GoldenJsonChecks(expected, this::get);
  long accepted;
  long duplicates;
  long conflicts;
  long rejected;

  @BeforeAll
  void ingestAndRollUp() {
    List<String> lines = golden.rawLines();
    for (int from = 0; from < lines.size(); from += BATCH) {
      String body = "{\"events\": [" + String.join(",", lines.subList(from, Math.min(lines.size(), from + BATCH)))
          + "]}";
      HttpResponse<String> response = api.send("POST", "/analytics/v1/events", body, ingestor);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode report = TestServer.json(response);
      accepted += report.get("accepted").asLong();
      duplicates += report.get("duplicates").asLong();
      conflicts += report.get("conflicts").asLong();
      rejected += report.get("rejected").asLong();
    }
    api.rollUp();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void countsMatch() {
    assertThat(new long[] {accepted, duplicates, conflicts, rejected}).containsExactly(expected.uniqueValid(),
        expected.duplicates(), expected.conflicts(), expected.invalid());
    assertThat(api.deadLetters.count()).isEqualTo(expected.invalid());
  }



  @Test
  void usageMatchesExactly() {
    checks.usageMatchesExactly();
  }

  @Test
  void sketchPercentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres() {
    checks.percentilesSatisfyTheBracketRuleAndExactOnesEqualPostgres();
  }

  private JsonNode get(UUID org, String api, String extra) {
    HttpResponse<String> response = this.api.send("GET", "/analytics/v1/orgs/" + org + "/" + api + "?start="
        + expected.start() + "&end=" + expected.end() + "&granularity=daily" + extra, null, reader);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestServer.json(response);
  }



}
