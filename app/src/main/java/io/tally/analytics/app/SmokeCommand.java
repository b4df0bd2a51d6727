package io.tally.analytics.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally smoke --url … --org-id … --actor-subject … --actor-roles …}: the original service's smoke checks against
 * a deployed server, each one line {@code ok|FAIL <check> <detail>}: liveness, readiness, metrics, the API document,
 * one usage event ingested (event id {@code smoke-<uuid>}, model {@code smoke}), the usage API showing it within the
 * timeout, the reliability API, and a request for another organisation refused. Exit 0 when every check passes.
 * Identity goes in the trusted headers, or as a bearer token with {@code --token} (AUTH_MODE=jwt).
 */
@Command(name = "smoke", mixinStandardHelpOptions = true,
    description = "Smoke-test a running server (ingests one event into --org-id); exit 1 when a check fails.")
final class SmokeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--url", required = true, description = "Base URL, e.g. http://127.0.0.1:8080")
  URI url;

  @Option(names = "--org-id", required = true, description = "Organisation to ingest into and query (UUID).")
  UUID org;

  @Option(names = "--actor-subject", defaultValue = "smoke", description = "X-Actor-Subject (default ${DEFAULT-VALUE}).")
  String subject;

  @Option(names = "--actor-roles", defaultValue = "admin", description = "X-Actor-Roles (default ${DEFAULT-VALUE}).")
  String roles;

  @Option(names = "--token", description = "Bearer token instead of the X-Actor-* headers (AUTH_MODE=jwt).")
  Optional<String> token;

  @Option(names = "--timeout-seconds", defaultValue = "30",
      description = "How long to wait for the event in the usage API (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> failures = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Duration wait = Duration.ofSeconds(Math.max(1, timeoutSeconds));
    String day = Instant.now().truncatedTo(ChronoUnit.DAYS).toString();
    String range = "?start=" + day + "&end=" + Instant.parse(day).plus(Duration.ofDays(1)) + "&granularity=daily"
        + "&groupBy=none";
    check(out, "healthz", get("/analytics/v1/status/healthz", Map.of()), 200, "");
    check(out, "readyz", get("/analytics/v1/status/readyz", Map.of()), 200, "");
    check(out, "metrics", get("/metrics", Map.of()), 200, "analytics_ingestion_events_total");
    check(out, "openapi", get("/openapi.json", Map.of()), 200, "\"openapi\"");
    String eventId = "smoke-" + UUID.randomUUID();
    String event = """
        {"events": [{"eventId": "%s", "orgId": "%s", "occurredAt": "%s", "modelId": "smoke", "inputTokens": 1,
          "outputTokens": 1, "costMicros": 0, "latencyMs": 1, "status": "success"}]}"""
        .formatted(eventId, org, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    check(out, "ingest " + eventId, send("POST", "/analytics/v1/events", event, identity(org.toString())), 200,
        "accepted");
    String usagePath = "/analytics/v1/orgs/" + org + "/usage" + range + "&modelId=smoke";
    Optional<HttpResponse<String>> usage = get(usagePath, identity(org.toString()));
    long deadline = System.nanoTime() + wait.toNanos();
    while (usage.filter(r -> r.statusCode() == 200 && !r.body().contains("\"requests\":0")
        && r.body().contains("\"series\":[{")).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      usage = get(usagePath, identity(org.toString()));
    }
    check(out, "usage shows the event within " + wait.toSeconds() + "s", usage, 200, "\"freshness\"");
    check(out, "reliability", get("/analytics/v1/orgs/" + org + "/reliability" + range, identity(org.toString())),
        200, "\"percentileMethod\"");
    UUID other = new UUID(org.getMostSignificantBits(), org.getLeastSignificantBits() ^ 1);
    check(out, "another organisation is refused", get("/analytics/v1/orgs/" + other + "/usage" + range,
        identity(org.toString())), 403, "");
    out.printf("SMOKE checks=%d failed=%d%n", 8, failures.size());
    out.flush();
    return failures.isEmpty() ? 0 : 1;
  }

  private Map<String, String> identity(String orgs) {
    Map<String, String> h = new LinkedHashMap<>();
    if (token.isPresent()) {
      h.put("Authorization", "Bearer " + token.get());
    } else {
      h.put("X-Actor-Subject", subject);
      h.put("X-Actor-Roles", roles);
      h.put("X-Actor-Orgs", orgs);
    }
    return h;
  }

  private void check(PrintWriter out, String name, Optional<HttpResponse<String>> response, int status,
      String mustContain) {
    String detail;
    boolean ok;
    if (response.isEmpty()) {
      ok = false;
      detail = "no answer from " + url;
    } else {
      HttpResponse<String> r = response.get();
      ok = r.statusCode() == status && r.body().contains(mustContain);
      String body = r.body().length() > 200 ? r.body().substring(0, 200) + "…" : r.body();
      detail = "status " + r.statusCode() + (ok ? "" : " (expected " + status
          + (mustContain.isEmpty() ? "" : " with " + mustContain) + "): " + body.replace('\n', ' '));
    }
    if (!ok) {
      failures.add(name);
    }
    out.println((ok ? "ok   " : "FAIL ") + name + " " + detail);
    out.flush();
  }

  private Optional<HttpResponse<String>> get(String path, Map<String, String> headers) {
    return send("GET", path, null, headers);
  }

  private Optional<HttpResponse<String>> send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return Optional.of(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
