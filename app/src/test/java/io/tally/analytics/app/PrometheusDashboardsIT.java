package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every panel query of docs/grafana/*.json, evaluated by a real Prometheus that scraped a real server while the
 * {@link ScriptedWorkload} ran: each must parse and return data, so a panel cannot reference a metric that does not
 * exist. Queries over a metric another branch owns (an owner-issue row of the docs' table) are skipped until the
 * marker is removed. The alert rules, loaded from the same docs/prometheus/ files, must evaluate without error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusDashboardsIT {
  private final String stream = "tally-dashboards-" + UUID.randomUUID();
  private FreshDatabase database;
  private RunningTally tally;
  private RealPrometheus prometheus;
  private final List<MetricsTable.Row> table = MetricsTable.read();

  @BeforeAll
  void scrapeAServerThatRanTheWorkload() throws Exception {
    database = new FreshDatabase();
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-dashboards-"),
        Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream, "RABBITMQ_BATCH_MAX_WAIT_MS", "50",
            "ROLLUP_INTERVAL", "200ms"));
    URI base = URI.create(tally.baseUrl);
    prometheus = RealPrometheus.scraping(base.getHost() + ":" + base.getPort());
    awaitScrapes(3);
    new ScriptedWorkload(tally).run(stream);
    awaitScrapes(5);
  }

  /** Waits until Prometheus holds {@code n} more successful scrapes of the server than now. */
  private void awaitScrapes(int n) throws InterruptedException {
    String count = "count_over_time(up{job=\"tally\"}[10m])";
    double start = scalar(count);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (scalar(count) < start + n && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(scalar("up{job=\"tally\"}")).as("the last scrape of the test server succeeded; %s", prometheus.log())
        .isEqualTo(1);
  }

  private double scalar(String promql) {
    JsonNode result = prometheus.query(promql).at("/data/result");
    return result.isEmpty() ? 0 : result.get(0).at("/value/1").asDouble();
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (tally != null) {
      tally.close();
    }
    try (BrokerView broker = new BrokerView()) {
      broker.deleteStream(stream);
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void everyPanelQueryParsesAndReturnsData() {
    SoftAssertions softly = new SoftAssertions();
    int evaluated = 0;
    for (GrafanaDashboards.Query q : GrafanaDashboards.queries()) {
      boolean pending = DocsFiles.metricsIn(q.expr(), table).stream()
          .anyMatch(m -> table.stream().anyMatch(r -> r.covers(m) && r.pending()));
      if (pending) {
        continue;
      }
      JsonNode answer = prometheus.query(q.resolved());
      softly.assertThat(answer.path("status").asText()).as("%s / %s: %s -> %s", q.dashboard(), q.panel(), q.resolved(),
          answer).isEqualTo("success");
      softly.assertThat(answer.at("/data/result")).as("%s / %s returns data: %s", q.dashboard(), q.panel(),
          q.resolved()).isNotEmpty();
      evaluated++;
    }
    softly.assertAll();
    assertThat(evaluated).as("queries evaluated").isGreaterThan(25);
  }

  @Test
  void everyAlertRuleEvaluatesWithoutError() throws InterruptedException {
    java.util.List<JsonNode> rules = new java.util.ArrayList<>();
    prometheus.json("/api/v1/rules").at("/data/groups").forEach(g -> g.get("rules").forEach(rules::add));
    assertThat(rules).hasSize(AlertRulesIT.alerts().size());
    SoftAssertions softly = new SoftAssertions();
    for (JsonNode rule : rules) {
      softly.assertThat(rule.path("health").asText()).as("%s: %s", rule.path("name").asText(), rule.path("lastError"))
          .isEqualTo("ok");
    }
    softly.assertAll();
  }
}
