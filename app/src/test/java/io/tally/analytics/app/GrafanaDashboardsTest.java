package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The dashboards hang together without a Prometheus: they load through the provisioning files, every query uses the
 * provisioned data source and reads only documented metrics. PrometheusDashboardsIT then runs every query on a real
 * Prometheus.
 */
class GrafanaDashboardsTest {
  @Test
  void everyQueryUsesTheProvisionedDataSourceAndReadsDocumentedMetrics() {
    String datasources = DocsFiles.read("grafana/provisioning/datasources/tally.yml");
    assertThat(datasources).contains("uid: tally-prometheus", "type: prometheus");
    List<MetricsTable.Row> table = MetricsTable.read();
    SoftAssertions softly = new SoftAssertions();
    for (GrafanaDashboards.Query q : GrafanaDashboards.queries()) {
      softly.assertThat(q.datasourceUid()).as("%s / %s data source", q.dashboard(), q.panel()).isEqualTo("tally-prometheus");
      Set<String> metrics = DocsFiles.metricsIn(q.expr(), table);
      softly.assertThat(metrics).as("%s / %s reads a metric", q.dashboard(), q.panel()).isNotEmpty();
      for (String metric : metrics) {
        softly.assertThat(table.stream().anyMatch(r -> r.covers(metric)))
            .as("%s / %s reads %s, which docs/operations.md documents", q.dashboard(), q.panel(), metric).isTrue();
      }
    }
    softly.assertAll();
  }

  @Test
  void dashboardsHaveUniqueUidsAndPanelIdsAndTheProviderLoadsTheirFolder() {
    assertThat(DocsFiles.read("grafana/provisioning/dashboards/tally.yml"))
        .contains("type: file", "path: /var/lib/grafana/dashboards/tally");
    Set<String> uids = new HashSet<>();
    for (String file : GrafanaDashboards.FILES) {
      JsonNode d = GrafanaDashboards.dashboard(file);
      assertThat(uids.add(d.get("uid").asText())).as("uid of %s is unique", file).isTrue();
      Set<Integer> ids = new HashSet<>();
      d.get("panels").forEach(p -> assertThat(ids.add(p.get("id").asInt())).as("%s panel id", file).isTrue());
      assertThat(ids).as("%s has panels", file).hasSizeGreaterThan(5);
    }
  }
}
