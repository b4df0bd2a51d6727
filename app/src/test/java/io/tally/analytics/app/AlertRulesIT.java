package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/prometheus/alerts.yml} is checked by Prometheus's own {@code promtool} (Debian's {@code prometheus}
 * package, installed by scripts/services): the rules load, and every unit test in {@code alerts_test.yml} passes.
 * Then the documents hang together: every alert has a summary, a description and a runbook_url whose section
 * exists in {@code docs/runbook.md}, a test where it fires and one where it stays silent, and reads only metrics
 * that the table in {@code docs/operations.md} documents.
 */
class AlertRulesIT {
  private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\S+)\\s*$");

  static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(DocsFiles.docs().toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool is not installed: scripts/services installs Debian's prometheus package", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }

  @Test
  void promtoolLoadsTheRulesAndEveryUnitTestPasses() throws Exception {
    assertThat(promtool("check", "rules", "prometheus/alerts.yml")).contains("SUCCESS: " + alerts().size() + " rules found");
    assertThat(promtool("test", "rules", "prometheus/alerts_test.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasItsAnnotationsARunbookSectionAndTestsThatFireAndStaySilent() {
    String runbook = DocsFiles.read("runbook.md");
    String tests = DocsFiles.read("prometheus/alerts_test.yml");
    SoftAssertions softly = new SoftAssertions();
    alerts().forEach((name, block) -> {
      for (String annotation : List.of("summary", "description", "runbook_url")) {
        softly.assertThat(block).as("%s has %s", name, annotation).containsPattern("\\n\\s+" + annotation + ": \\S");
      }
      softly.assertThat(block).as("%s runbook_url", name)
          .contains("runbook_url: \"docs/runbook.md#" + name.toLowerCase() + "\"");
      softly.assertThat(runbook).as("runbook section for %s", name).contains("\n## " + name + "\n");
      softly.assertThat(tests).as("a test where %s stays silent", name)
          .containsPattern("alertname: " + name + "\\n\\s*exp_alerts: \\[\\]");
      softly.assertThat(tests).as("a test where %s fires", name)
          .containsPattern("alertname: " + name + "\\n\\s*exp_alerts:\\n\\s*- exp_labels:");
    });
    softly.assertAll();
  }

  @Test
  void alertsReadOnlyDocumentedMetrics() {
    List<MetricsTable.Row> table = MetricsTable.read();
    SoftAssertions softly = new SoftAssertions();
    alerts().forEach((name, block) -> {
      String expr = block.substring(block.indexOf("expr:"), block.indexOf("annotations:"));
      for (String metric : DocsFiles.metricsIn(expr, table)) {
        softly.assertThat(table.stream().anyMatch(r -> r.covers(metric)))
            .as("%s reads %s, which docs/operations.md documents", name, metric).isTrue();
      }
    });
    softly.assertAll();
  }

  /** @return alert name to its YAML block, in file order */
  static Map<String, String> alerts() {
    String rules = DocsFiles.read("prometheus/alerts.yml");
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher m = ALERT.matcher(rules);
    List<Integer> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      names.add(m.group(1));
    }
    for (int i = 0; i < names.size(); i++) {
      blocks.put(names.get(i), rules.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : rules.length()));
    }
    // The nine of issue 10; a rule merged from another branch adds to them, with its own promtool tests.
    assertThat(blocks).as("alerts in docs/prometheus/alerts.yml").hasSizeGreaterThanOrEqualTo(9);
    return blocks;
  }
}
