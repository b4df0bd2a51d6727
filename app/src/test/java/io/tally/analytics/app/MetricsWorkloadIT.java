package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every metric documented in docs/operations.md is on {@code /metrics} of a real server and moves when the
 * {@link ScriptedWorkload} happens; and the docs' table and {@code /metrics} agree both ways (names and label
 * names). Both checks are driven by the table: a row marked with an owner issue (another branch's metric) is
 * skipped until the marker goes.
 *
 * <p>The server consumes a stream of its own through the original service's AMQP form of {@code RABBITMQ_URL},
 * so the stream endpoint derivation is exercised too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsWorkloadIT {
  static final String AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2f";

  private final String stream = "tally-metrics-" + UUID.randomUUID();
  private FreshDatabase database;
  private RunningTally tally;
  private PrometheusText before;
  private PrometheusText after;
  private final List<MetricsTable.Row> table = MetricsTable.read();

  @BeforeAll
  void runTheWorkload() throws Exception {
    database = new FreshDatabase();
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-metrics-"),
        Map.of("RABBITMQ_URL", AMQP_URL, "RABBITMQ_STREAM", stream, "RABBITMQ_BATCH_MAX_WAIT_MS", "50",
            "ROLLUP_INTERVAL", "200ms"));
    before = scrape();
    new ScriptedWorkload(tally).run(stream);
    Thread.sleep(1_100); // the last-success timestamp has a resolution of one second
    after = scrape();
  }

  @AfterAll
  void stop() {
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

  private PrometheusText scrape() {
    var r = tally.get("/metrics", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    return PrometheusText.parse(r.body());
  }

  @Test
  void everyDocumentedMetricIsPresentAndMovesWithTheWorkload() {
    SoftAssertions softly = new SoftAssertions();
    for (MetricsTable.Row row : table) {
      if (row.pending() || row.wildcard() || row.check().equals("optional")) {
        continue;
      }
      softly.assertThat(after.families()).as("%s on /metrics", row.name()).containsKey(row.name());
      if (row.check().equals("moves")) {
        softly.assertThat(after.movementKey(row.name())).as("%s moved during the workload", row.name())
            .isNotEqualTo(before.movementKey(row.name()));
      }
    }
    softly.assertAll();
  }

  @Test
  void theDocsTableAndMetricsAgreeOnNamesAndLabels() {
    SoftAssertions softly = new SoftAssertions();
    for (MetricsTable.Row row : table) {
      if (row.pending()) {
        softly.assertThat(after.families()).as("%s is marked as owned by issue %s but is on /metrics: remove the "
            + "owner marker in docs/operations.md", row.name(), row.owner()).doesNotContainKey(row.name());
        continue;
      }
      if (!row.wildcard() && after.families().containsKey(row.name())) {
        softly.assertThat(after.labelNames(row.name())).as("labels of %s", row.name()).isEqualTo(row.labels());
        softly.assertThat(typeOf(row)).as("type of %s", row.name()).isEqualTo(after.families().get(row.name()));
      }
    }
    List<String> undocumented = new ArrayList<>();
    for (String family : after.families().keySet()) {
      boolean documented = table.stream().anyMatch(r -> r.covers(family)
          || family.endsWith("_max") && r.covers(family.substring(0, family.length() - 4)));
      if (!documented) {
        undocumented.add(family);
      }
    }
    softly.assertThat(undocumented).as("families on /metrics missing from the docs' table").isEmpty();
    softly.assertAll();
  }

  private static String typeOf(MetricsTable.Row row) {
    return row.type().split(" ")[0];
  }

  @Test
  void noLabelCarriesAnOrganisationOrTenantId() {
    String text = tally.get("/metrics", Map.of()).body();
    assertThat(after.families()).isNotEmpty();
    assertThat(text).doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .doesNotContain("t-w-");
  }
}
