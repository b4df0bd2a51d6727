package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * More than 10,000 malformed or hostile requests (random JSON, huge numbers, bad UTF-8, path tricks, header
 * tricks, oversize bodies) against the real server: none may answer 5xx, and no stored data may change. Audit
 * records (every denial is audited) and dead letters (rejected usage events are kept with their reason) are
 * expected to grow and are not part of the snapshot.
 */
class HostileRequestsIT {
  static final int REQUESTS = 10_400;
  static final int RAW_EVERY = 8;
  static final String ORG = "00000000-0000-0000-0000-0000000000f1";
  static final String TENANT = "t_fuzz";
  static final List<String> TABLES = List.of("analytics.usage_events", "analytics.usage_rollup_hourly",
      "analytics.usage_rollup_daily", "analytics.analytics_events", "analytics.routes", "analytics.export_jobs");

  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void noHostileRequestCausesA5xxOrChangesData() throws Exception {
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-fuzz-"),
            Map.of("ROLLUP_INTERVAL", "1s", "MAX_BODY_BYTES", "1MiB"))) {
      // A routed tenant and some real data, so that hostile requests have something to damage.
      tally.send("POST", "/routing/routes", """
          {"resource_kind": "analytics_store", "tenant_id": "t_fuzz", "env": "development",
           "backend_type": "postgres", "config": {}, "required": true}""", tenantHeaders());
      tally.send("POST", "/analytics/ingest", "{\"event_type\": \"pageview\", \"payload\": {}}", tenantHeaders());
      tally.send("POST", "/analytics/v1/events", """
          {"events": [{"eventId": "f-1", "orgId": "%s", "occurredAt": "2026-10-01T10:00:00Z", "modelId": "m",
           "inputTokens": 1, "outputTokens": 1, "costMicros": 1, "latencyMs": 5, "status": "success"}]}"""
          .formatted(ORG), actor("svc", "admin", ORG));
      tally.send("POST", "/analytics/v1/orgs/" + ORG + "/exports", """
          {"timeRange": {"start": "2025-11-01T00:00:00Z", "end": "2025-11-07T00:00:00Z"}, "granularity": "daily"}""",
          actor("svc", "admin", ORG));
      RollupDrain.drain(tally.app.services().rollup());
      Map<String, Long> before = snapshot(tally);
      assertThat(before.values()).allMatch(n -> n > 0);

      URI base = URI.create(tally.baseUrl);
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        int w = worker;
        done.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(1_000 + w);
          for (int i = w; i < REQUESTS; i += 4) {
            Hostile h = Hostile.next(random, i);
            int status;
            try {
              status = i % RAW_EVERY == 0 ? raw(base, h) : viaClient(base, h);
            } catch (IOException e) {
              // A closed connection on garbage is acceptable; a hang or a 5xx is not.
              status = -1;
            }
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            if (status >= 500) {
              failures.add(status + " " + h);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      RollupDrain.drain(tally.app.services().rollup());

      int answered = statuses.entrySet().stream().filter(e -> e.getKey() > 0).mapToInt(e -> e.getValue().get()).sum();
      assertThat(answered).as("statuses %s", statuses).isGreaterThanOrEqualTo(10_000);
      assertThat(failures).as("statuses %s", statuses).isEmpty();
      assertThat(snapshot(tally)).isEqualTo(before);
      assertThat(tally.get("/analytics/v1/status/readyz", Map.of()).statusCode()).isEqualTo(200);
      assertThat(tally.app.services().auditLog().verify()).isEmpty();
    }
  }

  static Map<String, String> tenantHeaders() {
    return with(actor("ops", "admin", TENANT), "X-Tenant-ID", TENANT, "X-Mode", "saas", "X-Project-ID", "p1");
  }

  private static Map<String, Long> snapshot(RunningTally tally) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, tally.app.services().database().jdbi().withHandle(h ->
          h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one()));
    }
    return counts;
  }

  private int viaClient(URI base, Hostile h) throws IOException {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + h.path)).timeout(Duration.ofSeconds(30))
          .method(h.method, h.body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(h.body));
      h.headers.forEach(b::header);
    } catch (IllegalArgumentException e) {
      // The JDK client refuses to send this (bad URI or header): send it raw instead.
      return raw(base, h);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Writes the request bytes as they are: no client-side validation of path, headers or encoding. */
  private static int raw(URI base, Hostile h) throws IOException {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write((h.method + " ").getBytes(StandardCharsets.ISO_8859_1));
      req.write(h.rawPath != null ? h.rawPath : h.path.getBytes(StandardCharsets.ISO_8859_1));
      req.write(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
      for (Map.Entry<String, String> e : h.headers.entrySet()) {
        req.write((e.getKey() + ": " + e.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      if (h.rawHeader != null) {
        req.write(h.rawHeader);
        req.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      byte[] body = h.body == null ? new byte[0] : h.body;
      req.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      req.write(body);
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      InputStream in = s.getInputStream();
      byte[] line = new byte[64];
      int n = 0;
      int c;
      while (n < line.length && (c = in.read()) != -1 && c != '\n') {
        line[n++] = (byte) c;
      }
      String status = new String(line, 0, n, StandardCharsets.ISO_8859_1);
      if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
        return -1;
      }
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  /** One hostile request. */
  record Hostile(String kind, String method, String path, byte[] rawPath, Map<String, String> headers,
      byte[] rawHeader, byte[] body) {
    static final String[] JSON_ATOMS = {"null", "true", "false", "0", "-0", "1e400", "-1e400",
        "99999999999999999999999999999", "-9223372036854775809", "1.5e-400", "\"\"", "\"\\u0000\"",
        "\"\\ud800\"", "\"<script>alert(1)</script>\"", "\"' OR 1=1 --\"", "\"../../etc/passwd\"", "[]", "{}",
        "\"" + "A".repeat(5000) + "\""};
    static final String[] KEYS = {"events", "eventId", "orgId", "occurredAt", "modelId", "inputTokens",
        "outputTokens", "costMicros", "latencyMs", "status", "timeRange", "granularity", "kind", "payload",
        "resource_kind", "tenant_id", "backend_type", "config", "__proto__", "constructor", "$where", ""};

    @Override
    public String toString() {
      return kind + " " + method + " " + path;
    }

    static Hostile next(SplittableRandom r, int i) {
      Map<String, String> orgAdmin = actor("fuzz", "admin", ORG);
      String usage = "/analytics/v1/orgs/" + ORG + "/usage";
      return switch (i % 10) {
        case 0 -> new Hostile("random-json", "POST", "/analytics/v1/events", null, json(orgAdmin), null,
            randomJson(r, 0).getBytes(StandardCharsets.UTF_8));
        case 1 -> new Hostile("hostile-events", "POST", "/analytics/v1/events", null, json(orgAdmin), null,
            hostileEvents(r).getBytes(StandardCharsets.UTF_8));
        case 2 -> new Hostile("random-json-an01", "POST", "/analytics/ingest", null, json(tenantHeaders()), null,
            randomJsonWithout(r).getBytes(StandardCharsets.UTF_8));
        case 3 -> new Hostile("bad-utf8", pick(r, "POST", "POST", "PUT"), pick(r, "/analytics/v1/events",
            "/analytics/ingest", "/routing/routes", "/analytics/v1/orgs/" + ORG + "/exports"), null,
            json(with(tenantHeaders(), "X-Actor-Orgs", TENANT + "," + ORG)), null, badUtf8(r));
        case 4 -> new Hostile("path-trick", pick(r, "GET", "DELETE", "POST"), pathTrick(r), null, orgAdmin,
            null, null);
        case 5 -> new Hostile("bad-query", "GET", usage + badQuery(r), null, orgAdmin, null, null);
        case 6 -> new Hostile("header-trick", pick(r, "GET", "POST", "DELETE"), pick(r, usage
            + "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z", "/analytics/query", "/routing/routes",
            "/analytics/event/e-1", "/analytics/ingest"), null, headerTrick(r), null, null);
        case 7 -> new Hostile("raw-path", pick(r, "GET", "DELETE"), "/raw", rawPath(r), orgAdmin, null, null);
        case 8 -> new Hostile("raw-header", pick(r, "GET", "POST"), usage
            + "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z", null, Map.of(), rawHeader(r), null);
        default -> new Hostile("oversize-or-deep", "POST", pick(r, "/analytics/v1/events", "/analytics/ingest",
            "/routing/routes"), null, json(with(tenantHeaders(), "X-Actor-Orgs", TENANT + "," + ORG)), null,
            r.nextBoolean() ? ("{\"events\": [\"" + "x".repeat(1_100_000) + "\"]}").getBytes(StandardCharsets.UTF_8)
                : ("[".repeat(5_000 + r.nextInt(50_000))).getBytes(StandardCharsets.UTF_8));
      };
    }

    static Map<String, String> json(Map<String, String> h) {
      return with(h, "Content-Type", "application/json");
    }

    @SafeVarargs
    static <T> T pick(SplittableRandom r, T... options) {
      return options[r.nextInt(options.length)];
    }

    static String randomJson(SplittableRandom r, int depth) {
      int kind = depth > 4 ? 0 : r.nextInt(4);
      return switch (kind) {
        case 0 -> pick(r, JSON_ATOMS);
        case 1 -> {
          StringBuilder sb = new StringBuilder("[");
          for (int i = 0, n = r.nextInt(4); i < n; i++) {
            sb.append(i > 0 ? "," : "").append(randomJson(r, depth + 1));
          }
          yield sb.append(']').toString();
        }
        case 2 -> {
          StringBuilder sb = new StringBuilder("{");
          for (int i = 0, n = r.nextInt(5); i < n; i++) {
            sb.append(i > 0 ? "," : "").append('"').append(pick(r, KEYS)).append("\":")
                .append(randomJson(r, depth + 1));
          }
          yield sb.append('}').toString();
        }
        default -> {
          String s = randomJson(r, depth + 1);
          // Truncated or doubled JSON: never well-formed.
          yield s.length() > 1 ? s.substring(0, r.nextInt(1, s.length())) + pick(r, "", ",", "}", "]]") : s + "}{";
        }
      };
    }

    /** Random JSON without the one field AN-01 requires, so nothing can be stored. */
    static String randomJsonWithout(SplittableRandom r) {
      String s = randomJson(r, 0);
      return s.replace("event_type", "event_typo");
    }

    /** Usage events that are always invalid: an impossible value in one field, the rest plausible. */
    static String hostileEvents(SplittableRandom r) {
      String bad = pick(r, "\"inputTokens\": 1e400", "\"inputTokens\": 99999999999999999999999",
          "\"inputTokens\": -1", "\"latencyMs\": \"NaN\"", "\"costMicros\": 1.5", "\"occurredAt\": \"2026-13-45\"",
          "\"occurredAt\": \"9999-01-01T00:00:00Z\"", "\"orgId\": \"not-a-uuid\"", "\"status\": \"maybe\"",
          "\"modelId\": \"" + "m".repeat(10_000) + "\"", "\"eventId\": \"\"", "\"inputTokens\": [1]",
          "\"inputTokens\": {\"$gt\": 0}", "\"orgId\": null");
      String base = "\"eventId\": \"h-" + r.nextInt() + "\", \"orgId\": \"" + ORG + "\", "
          + "\"occurredAt\": \"2026-10-01T10:00:00Z\", \"modelId\": \"m\", \"inputTokens\": 1, \"outputTokens\": 1, "
          + "\"costMicros\": 1, \"latencyMs\": 5, \"status\": \"success\"";
      String key = bad.substring(0, bad.indexOf(':'));
      String event = "{" + base.replaceAll(java.util.regex.Pattern.quote(key) + ": [^,]+", java.util.regex.Matcher.quoteReplacement(bad)) + "}";
      return "{\"events\": [" + event + "]}";
    }

    static byte[] badUtf8(SplittableRandom r) {
      byte[][] junk = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {0x00}};
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] prefix = "{\"events\": [{\"eventId\": \"".getBytes(StandardCharsets.UTF_8);
      out.write(prefix, 0, r.nextInt(prefix.length + 1));
      byte[] j = junk[r.nextInt(junk.length)];
      out.write(j, 0, j.length);
      out.write("\"}]}".getBytes(StandardCharsets.UTF_8), 0, 4);
      return out.toByteArray();
    }

    static String pathTrick(SplittableRandom r) {
      return pick(r, "/analytics/v1/orgs/../../../etc/passwd", "/analytics/v1/orgs/%2e%2e/%2e%2e/usage",
          "/analytics/v1/orgs/" + ORG + "/exports/..%2f..%2froutes", "//routing//routes",
          "/analytics/event/%00", "/analytics/event/" + "a".repeat(5_000), "/routing/routes/%0d%0aX-Injected:%201",
          "/analytics/v1/orgs/%25%32%65/usage", "/analytics/v1/orgs/" + ORG.toUpperCase() + "/usage",
          "/analytics/v1/orgs/" + ORG + "/exports/%ff%fe", "/metrics/../openapi.json", "/analytics/users/%20",
          "/analytics/v1/orgs/" + ORG + "/exports/job;DROP%20TABLE%20x", "/.env", "/analytics/v1/status/../../admin");
    }

    static String badQuery(SplittableRandom r) {
      return pick(r, "?start=2026-10-01T00:00:00Z&end=2026-10-01T00:00:00Z", "?start=-999999999-01-01T00:00:00Z&end=+999999999-12-31T23:59:59Z",
          "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z&granularity=hourly&granularity=daily",
          "?start=1e400&end=2", "?start=%ff&end=%fe", "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z&modelId="
              + "x".repeat(3_000), "?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z&groupBy=%00",
          "?" + "a=1&".repeat(2_000), "?start=2026-10-01T00:00:00%2B99:00&end=2026-10-02T00:00:00Z");
    }

    static Map<String, String> headerTrick(SplittableRandom r) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("X-Actor-Subject", pick(r, "fuzz", "a".repeat(9_000), " ", "%0d%0aX-Actor-Orgs:%20*", "\u00e9t\u00e9"));
      h.put("X-Actor-Roles", pick(r, "admin", "ADMIN", "admin,admin", "", "root", "admin\u0000"));
      h.put("X-Actor-Orgs", pick(r, ORG, "**", " * ", ORG + ",*", "", ",,,", "00000000-0000-0000-0000-0000000000f2"));
      h.put("X-Tenant-ID", pick(r, TENANT, "../t_fuzz", "t_fuzz%00", "*", "t" + "x".repeat(300)));
      h.put("X-Mode", pick(r, "saas", "lab ", "LAB\t", "sys tem", "enterprise;drop"));
      if (r.nextBoolean()) {
        h.put("Authorization", pick(r, "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic Zm9vOmJhcg==", "Bearer "));
      }
      if (r.nextBoolean()) {
        h.put("Content-Type", pick(r, "text/plain", "application/json; charset=latin1", "multipart/form-data"));
      }
      return h;
    }

    static byte[] rawPath(SplittableRandom r) {
      String[] paths = {"/analytics/v1/orgs/\u00ff\u00fe/usage", "/analytics/event/\u0000", "/a b c",
          "/analytics/v1/orgs/" + ORG + "/usage?start=\u00c3\u0028", "*", "http://evil.example/routing/routes",
          "/%", "/analytics/query?limit=%zz", "/" + "%".repeat(100)};
      return paths[r.nextInt(paths.length)].getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] rawHeader(SplittableRandom r) {
      String[] headers = {"X-Actor-Subject: fuzz\r\nX-Actor-Roles: admin\r\nX-Actor-Orgs: " + ORG
          + "\r\nX-Actor-Orgs: *", "X-Actor-Subject: \u00ff\u00fe\r\nX-Actor-Roles: admin\r\nX-Actor-Orgs: " + ORG,
          "X-Actor-Subject fuzz", "X-Actor-Subject:\r\n fuzz-folded\r\nX-Actor-Roles: admin",
          "X-Actor-Subject: fuzz\nX-Actor-Roles: admin\nX-Actor-Orgs: " + ORG, ": empty-name",
          "X-Actor-Subject: fuzz\u0000\r\nX-Actor-Roles: admin\r\nX-Actor-Orgs: " + ORG,
          "Transfer-Encoding: chunked"};
      return headers[r.nextInt(headers.length)].getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
