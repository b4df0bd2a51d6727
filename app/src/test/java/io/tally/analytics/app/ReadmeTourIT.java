package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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
 * Runs the README's five-minute tour (the {@code ```bash tour} block) with bash against a freshly started server,
 * exactly as written, and checks each step's answer: the README cannot drift from what the server does.
 */
class ReadmeTourIT {
  private static final Pattern TOUR = Pattern.compile("```bash tour\\n(.*?)```", Pattern.DOTALL);

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts/tally"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root with scripts/tally").isNotNull();
    return dir;
  }

  @Test
  void theTourWorksAsWritten() throws Exception {
    Path root = repositoryRoot();
    Matcher m = TOUR.matcher(Files.readString(root.resolve("README.md")));
    assertThat(m.find()).as("README.md has a ```bash tour block").isTrue();
    Path script = Files.createTempFile("tour-", ".sh");
    Files.writeString(script, "set -euo pipefail\n" + m.group(1));
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-tour-"),
            Map.of("ROLLUP_INTERVAL", "1s"))) {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(root.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("TALLY_URL", tally.baseUrl);
      pb.environment().put("LOG_LEVEL", "WARN");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      List<String> lines = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
      assertThat(lines).as(out).hasSize(8);

      assertThat(lines.get(0)).matches("SEED published=5000 unique_valid=\\d+ duplicates=\\d+ invalid=\\d+");
      JsonNode usage = json(lines.get(1));
      assertThat(usage.at("/totals/requests").asLong()).isPositive();
      assertThat(usage.at("/totals/costMicros").asLong()).isPositive();
      assertThat(usage.at("/freshness/status").asText()).isEqualTo("fresh");
      long seeded = usage.at("/totals/requests").asLong();
      JsonNode reliability = json(lines.get(2));
      assertThat(reliability.get("percentileMethod").asText()).isEqualTo("sketch");
      assertThat(reliability.at("/series/0/latencyMs/p95").asDouble()).isPositive();
      long reliabilityRequests = 0;
      for (JsonNode row : reliability.get("series")) {
        reliabilityRequests += row.get("requests").asLong();
      }
      assertThat(reliabilityRequests).isEqualTo(seeded);
      assertThat(json(lines.get(3)).get("error_code").asText()).isEqualTo("analytics_store.missing_route");
      assertThat(json(lines.get(4)).get("backend_type").asText()).isEqualTo("postgres");
      String eventId = json(lines.get(5)).get("event_id").asText();
      JsonNode query = json(lines.get(6));
      assertThat(query.get("total").asLong()).isEqualTo(1);
      assertThat(query.at("/records/0/event_id").asText()).isEqualTo(eventId);
      JsonNode denied = json(lines.get(7));
      assertThat(denied.get("error_code").asText()).isEqualTo("auth.cross_org");
      assertThat(denied.get("status_code").asInt()).isEqualTo(403);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static JsonNode json(String line) throws IOException {
    return RunningTally.JSON.readTree(line);
  }
}
