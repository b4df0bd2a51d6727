package io.tally.analytics.app;

import static io.tally.analytics.app.RunningTally.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's "done when", against a running server on PostgreSQL: a new user sends events without cost, sees
 * requests and tokens with {@code unpricedRequests}, imports a price file with {@code tally prices import}, and
 * within seconds sees exact costs for the past hours; an override put through the API re-prices one organisation;
 * {@code tally verify} agrees with the raw events and the book; {@code seed --without-cost-rate} seeds unpriced usage.
 */
class PricingDoneWhenIT {
  private static final String ORG_A = "00000000-0000-0000-0000-00000000a013";
  private static final String ORG_B = "00000000-0000-0000-0000-00000000b013";
  private static final String MODEL = "qwen-14b";
  private static final Map<String, String> INGESTOR = Map.of("X-Actor-Subject", "gateway", "X-Actor-Roles",
      "ingestor", "X-Actor-Orgs", ORG_A + "," + ORG_B);
  private static final Map<String, String> OPERATOR = Map.of("X-Actor-Subject", "ops", "X-Actor-Roles", "admin",
      "X-Actor-Orgs", "*");

  private FreshDatabase database;
  private RunningTally tally;
  private Path dir;
  private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
  private final List<UsageEvent> sent = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    database = new FreshDatabase();
    dir = Files.createTempDirectory("tally-pricing-");
    tally = RunningTally.onDatabase(database.url(), dir, Map.of("ROLLUP_INTERVAL", "200ms"));
  }

  @AfterEach
  void stop() throws Exception {
    tally.close();
    database.close();
  }

  private Map<String, String> cliEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", database.url());
    env.put("DATA_DIR", dir.toString());
    env.put("USER", "it-operator");
    return env;
  }

  private String tally(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(cliEnv(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isZero();
    return out.toString();
  }

  private void send(String org, int hoursAgo, int i, long in, long out) {
    Instant at = hour.minus(Duration.ofHours(hoursAgo)).plusSeconds(60L * i + 7);
    String id = "done-" + org.substring(org.length() - 4) + "-" + hoursAgo + "-" + i;
    String body = "{\"events\": [{\"eventId\": \"" + id + "\", \"orgId\": \"" + org + "\", \"occurredAt\": \"" + at
        + "\", \"modelId\": \"" + MODEL + "\", \"inputTokens\": " + in + ", \"outputTokens\": " + out
        + ", \"latencyMs\": 250, \"status\": \"success\"}]}";
    HttpResponse<String> r = tally.send("POST", "/analytics/v1/events", body, INGESTOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("accepted").asLong()).as(r.body()).isEqualTo(1);
    sent.add(new UsageEvent(id, UUID.fromString(org), at, MODEL, Optional.empty(), Optional.empty(), in, out,
        Optional.empty(), 250, UsageStatus.SUCCESS, Optional.empty(), Optional.empty()));
  }

  private JsonNode totals(String org) {
    Instant start = hour.minus(Duration.ofDays(2));
    Map<String, String> viewer = Map.of("X-Actor-Subject", "alice", "X-Actor-Roles", "viewer", "X-Actor-Orgs", org);
    HttpResponse<String> r = tally.send("GET", "/analytics/v1/orgs/" + org + "/usage?start=" + start + "&end="
        + hour.plus(Duration.ofHours(2)) + "&granularity=hourly&groupBy=none", null, viewer);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("totals");
  }

  private JsonNode awaitTotals(String org, Predicate<JsonNode> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode t = totals(org);
    while (!done.test(t) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      t = totals(org);
    }
    return t;
  }

  private long expectedCost(String org, PriceBook book) {
    return sent.stream().filter(e -> e.orgId().toString().equals(org))
        .mapToLong(e -> book.costOf(e).orElseThrow()).sum();
  }

  @Test
  void unpricedUsageIsCountedThenAnImportedPriceFileMakesThePastExact() throws Exception {
    for (int i = 0; i < 5; i++) {
      send(ORG_A, 5, i, 1_000 + 333L * i, 217 + 19L * i);
      send(ORG_A, 2, i, 77_777L * i, 1_001);
      send(ORG_B, 3, i, 4_321, 1_234L * i);
    }
    JsonNode before = awaitTotals(ORG_A, t -> t.get("requests").asLong() == 10);
    assertThat(before.get("requests").asLong()).isEqualTo(10);
    assertThat(before.get("inputTokens").asLong()).isEqualTo(sent.stream()
        .filter(e -> e.orgId().toString().equals(ORG_A)).mapToLong(UsageEvent::inputTokens).sum());
    assertThat(before.get("unpricedRequests").asLong()).isEqualTo(10);
    assertThat(before.get("costMicros").asLong()).isZero();
    String metrics = tally.send("GET", "/metrics", null, Map.of()).body();
    assertThat(metrics).contains("analytics_ingestion_unpriced_events_total{model=\"" + MODEL + "\"} 15.0");

    Path csv = dir.resolve("prices.csv");
    Instant from = hour.minus(Duration.ofDays(1));
    Files.writeString(csv, "# list price of qwen-14b\n" + "model_id,effective_from,input_micros_per_1m,"
        + "output_micros_per_1m\n" + MODEL + "," + from + ",150000,600001\n");
    String dry = tally("prices", "import", csv.toString(), "--dry-run");
    assertThat(dry).contains("would add " + MODEL).contains("changed=1").contains("dry_run=true");
    assertThat(tally("prices", "list")).doesNotContain(MODEL);

    String imported = tally("prices", "import", csv.toString());
    assertThat(imported).contains("changed=1").contains("hours_repriced=3").contains("source=csv:prices.csv");
    long start = System.nanoTime();
    PriceBook book = PriceBook.of(List.of(new ModelPrice(MODEL, from, 150_000, 600_001)));
    JsonNode after = awaitTotals(ORG_A, t -> t.get("unpricedRequests").asLong() == 0);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(after.get("unpricedRequests").asLong()).isZero();
    assertThat(after.get("costMicros").asLong()).isEqualTo(expectedCost(ORG_A, book)).isPositive();
    assertThat(took).as("re-priced within seconds").isLessThan(Duration.ofSeconds(30));
    assertThat(awaitTotals(ORG_B, t -> t.get("unpricedRequests").asLong() == 0).get("costMicros").asLong())
        .isEqualTo(expectedCost(ORG_B, book));
    assertThat(tally("prices", "list", "--model", MODEL)).contains(MODEL + "," + from + ",150000,600001,,csv:prices.csv");

    // A negotiated rate for org B from three hours ago: B's last hours change, A's do not.
    long aBefore = after.get("costMicros").asLong();
    Instant negotiated = hour.minus(Duration.ofHours(3));
    HttpResponse<String> put = tally.send("PUT", "/analytics/v1/prices", "{\"modelId\": \"" + MODEL
        + "\", \"effectiveFrom\": \"" + negotiated + "\", \"inputMicrosPer1M\": 100000, \"outputMicrosPer1M\": 300000,"
        + " \"orgId\": \"" + ORG_B + "\"}", OPERATOR);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    PriceBook withOverride = book.with(new ModelPrice(MODEL, Optional.of(UUID.fromString(ORG_B)), negotiated,
        100_000, 300_000));
    long bExpected = expectedCost(ORG_B, withOverride);
    assertThat(awaitTotals(ORG_B, t -> t.get("costMicros").asLong() == bExpected).get("costMicros").asLong())
        .isEqualTo(bExpected);
    assertThat(totals(ORG_A).get("costMicros").asLong()).isEqualTo(aBefore);

    String verify = tally("verify", "--granularity", "hourly", "--days", "3");
    assertThat(verify).contains("drifting=0").contains("audit=ok");
  }

  @Test
  void seedWithoutCostThenPricesFromALiteLlmMapVerifyExactly() throws Exception {
    SeedRun seeded = SeedRun.run(cliEnv(), "seed", "--url", tally.baseUrl, "--orgs", "2", "--models", "2",
        "--events", "300", "--days", "1", "--duplicate-rate", "0", "--invalid-rate", "0",
        "--without-cost-rate", "1", "--seed", "13");
    String org1 = SyntheticUsage.orgId(1);
    JsonNode unpriced = awaitTotals(org1, t -> t.get("unpricedRequests").asLong() == t.get("requests").asLong()
        && t.get("requests").asLong() > 0);
    assertThat(unpriced.get("costMicros").asLong()).isZero();
    assertThat(seeded.uniqueValid()).isEqualTo(300);

    Path json = dir.resolve("model_prices.json");
    Files.writeString(json, "{\"sample_spec\": {\"input_cost_per_token\": 0},"
        + " \"" + SyntheticUsage.modelId(0) + "\": {\"input_cost_per_token\": 5.9e-07, \"output_cost_per_token\": "
        + "0.00000079, \"litellm_provider\": \"x\", \"mode\": \"chat\"},"
        + " \"" + SyntheticUsage.modelId(1) + "\": {\"input_cost_per_token\": 1.8E-7, \"output_cost_per_token\": 1.8e-7},"
        + " \"dall-e-3\": {\"output_cost_per_image\": 0.04}}");
    String out = tally("prices", "import", json.toString());
    assertThat(out).contains("add " + SyntheticUsage.modelId(0) + " from 1970-01-01T00:00:00Z: 590000/790000")
        .contains("add " + SyntheticUsage.modelId(1) + " from 1970-01-01T00:00:00Z: 180000/180000")
        .contains("skip dall-e-3: no input_cost_per_token").contains("source=litellm:model_prices.json");
    JsonNode priced = awaitTotals(org1, t -> t.get("unpricedRequests").asLong() == 0);
    assertThat(priced.get("unpricedRequests").asLong()).isZero();
    assertThat(priced.get("costMicros").asLong()).isPositive();
    assertThat(tally("verify", "--granularity", "hourly", "--days", "3")).contains("drifting=0");
  }
}
