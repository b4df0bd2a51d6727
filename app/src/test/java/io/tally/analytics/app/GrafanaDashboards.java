package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboards under {@code docs/grafana/}, read as their panels' queries. */
final class GrafanaDashboards {
  static final List<String> FILES = List.of("usage.json", "reliability.json", "ingestion.json");

  /** One query of one panel. */
  record Query(String dashboard, String panel, String datasourceUid, String expr) {
    /** @return the expression as Grafana would send it, with its interval macros resolved */
    String resolved() {
      return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h");
    }
  }

  private GrafanaDashboards() {}

  static JsonNode dashboard(String file) {
    try {
      return new ObjectMapper().readTree(DocsFiles.read("grafana/" + file));
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not JSON", e);
    }
  }

  static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (String file : FILES) {
      for (JsonNode panel : dashboard(file).get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          queries.add(new Query(file, panel.get("title").asText(), target.at("/datasource/uid").asText(),
              target.get("expr").asText()));
        }
      }
    }
    return queries;
  }
}
