package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static io.tally.analytics.app.UsageCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.http.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input suite of issue 8: every ingest and query endpoint (usage batch, usage, reliability in both
 * methods, AN-01 ingest, query and aggregate) crossed with hostile times, huge numbers, duplicated identity
 * headers, bare-LF framing and rotated subjects, against the real server with its rate limits on, while one hour
 * of the hostile organisation cannot be rolled up at all. Meanwhile an observer organisation keeps ingesting
 * through the same server. Afterwards: no request got a 5xx, every
 * observer event is visible in its usage with a fresh rollup, readyz is 200, no partition lies outside the
 * event-time window, and the audit chain is intact.
 */
class HostileInputMatrixIT {
  static final String HOSTILE_ORG = "00000000-0000-0000-0000-0000000008a1";
  static final String OBSERVER_ORG = "00000000-0000-0000-0000-0000000008b1";
  static final String TENANT = "t_matrix";
  static final List<String> TIMES = List.of("1600-01-01T00:00:00Z", "-5000-01-01T00:00:00Z",
      "+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
      "1900-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
      "+999999999-12-31T23:59:59.999999999Z", "2026-10-01T00:00:00+99:00", "2026-02-30T00:00:00Z", "1e400",
      "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z");
  static final List<String> NUMBERS = List.of("9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "1e400", "-1e400", "99999999999999999999999999999", "1.5", "-1", "0", "4.9e-324", "NaN", "\"9223372036854775807\"");
  static final List<String> IDENTITY_HEADERS = List.of("X-Actor-Subject", "X-Actor-Roles", "X-Actor-Orgs",
      "X-Actor-Tenants", "Authorization", "X-Tenant-ID", "X-Mode", "X-Project-ID");

  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final int MIN_OBSERVED = 6;
  final Map<Integer, Integer> statuses = new TreeMap<>();
  final List<String> serverErrors = new ArrayList<>();

  @Test
  void noHostileInputGetsA5xxAndOtherOrganisationsKeepTheirRollups() throws Exception {
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-matrix-"),
            Map.of("ROLLUP_INTERVAL", "200ms", "RATE_LIMIT_PER_MINUTE", "600", "RATE_LIMIT_PER_SCOPE_PER_MINUTE",
                "300", "RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "300"))) {
      assertThat(tally.send("POST", "/routing/routes", """
          {"resource_kind": "analytics_store", "tenant_id": "%s", "env": "development", "backend_type": "postgres",
           "config": {}, "required": true}""".formatted(TENANT), tenant("ops")).statusCode()).isEqualTo(201);
      // And an hour of the hostile organisation that cannot be rolled up (rows from before the window existed).
      Instant now = Instant.now();
      tally.send("POST", UsageCalls.EVENTS, UsageCalls.batch(UsageCalls.event("seed", HOSTILE_ORG, now.toString())),
          actor("seed", "admin", HOSTILE_ORG));
      for (String id : List.of("huge-1", "huge-2")) {
        RollupIsolationIT.storeLegacyRow(database, HOSTILE_ORG, id, now.atOffset(java.time.ZoneOffset.UTC),
            5_000_000_000_000_000_000L);
      }
      ExecutorService observer = Executors.newSingleThreadExecutor();
      AtomicBoolean hostileRunning = new AtomicBoolean(true);
      Future<List<String>> observed = observer.submit(() -> observe(tally, hostileRunning));
      try {
        URI base = URI.create(tally.baseUrl);
        hostileTimes(base);
        hugeNumbers(base);
        duplicatedHeaders(base);
        bareLineFeeds(base);
        rotatedSubjects(base);
      } finally {
        hostileRunning.set(false);
      }
      List<String> observerEvents = observed.get();
      observer.shutdown();

      assertThat(serverErrors).as("5xx answers; statuses %s", statuses).isEmpty();
      assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(850);
      JsonNode usage = UsageCalls.until(Duration.ofSeconds(30), () -> json(UsageCalls.usage(tally, OBSERVER_ORG,
          Instant.now())), u -> u.at("/totals/requests").asLong() == observerEvents.size());
      assertThat(usage.at("/totals/requests").asLong()).as("the observer's events are all visible: %s", usage)
          .isEqualTo(observerEvents.size());
      assertThat(usage.at("/freshness/status").asText()).isEqualTo("fresh");
      assertThat(observerEvents).hasSizeGreaterThanOrEqualTo(MIN_OBSERVED);
      HttpResponse<String> ready = tally.get("/analytics/v1/status/readyz", Map.of());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(json(ready).at("/components/rollup/status").asText()).as("the poisoned hour is quarantined")
          .isEqualTo("degraded");
      assertThat(partitionsOutsideTheWindow(tally)).isZero();
      assertThat(tally.app.services().auditLog().verify()).isEmpty();
      System.out.println("HostileInputMatrixIT statuses " + statuses + " observer_events=" + observerEvents.size());
    }
  }

  /**
   * One fresh event of the observer organisation every 300 ms while the hostile requests run, and on until at least
   * {@link #MIN_OBSERVED} were accepted (the hostile requests took 2.8 s in one full run, which left 4 events).
   */
  private List<String> observe(RunningTally tally, AtomicBoolean running) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (running.get() || (ids.size() < MIN_OBSERVED && Instant.now().isBefore(deadline))) {
      String id = "obs-" + ids.size();
      HttpResponse<String> r = tally.send("POST", UsageCalls.EVENTS, UsageCalls.batch(UsageCalls.event(id,
          OBSERVER_ORG, Instant.now().toString())), actor("observer", "admin", OBSERVER_ORG));
      if (r.statusCode() == 200 && json(r).get("accepted").asLong() == 1) {
        ids.add(id);
      }
      Thread.sleep(300);
    }
    return ids;
  }

  private void hostileTimes(URI base) {
    for (String time : TIMES) {
      String q = URLEncoder.encode(time, StandardCharsets.UTF_8);
      Map<String, String> reader = actor("reader", "admin", HOSTILE_ORG);
      send(base, "POST", UsageCalls.EVENTS, UsageCalls.batch(UsageCalls.event("t-" + time.hashCode(), HOSTILE_ORG,
          time), UsageCalls.event("ok-" + time.hashCode(), HOSTILE_ORG, Instant.now().toString())), reader);
      for (String api : List.of("usage", "reliability")) {
        for (String g : List.of("hourly", "daily")) {
          send(base, "GET", "/analytics/v1/orgs/" + HOSTILE_ORG + "/" + api + "?start=" + q + "&end="
              + URLEncoder.encode(Instant.now().toString(), StandardCharsets.UTF_8) + "&granularity=" + g, null, reader);
          send(base, "GET", "/analytics/v1/orgs/" + HOSTILE_ORG + "/" + api + "?start=" + q + "&end=" + q
              + "&granularity=" + g + "&percentileMethod=exact", null, reader);
          dayLater(time).ifPresent(end -> send(base, "GET", "/analytics/v1/orgs/" + HOSTILE_ORG + "/" + api
              + "?start=" + q + "&end=" + end + "&granularity=" + g + "&percentileMethod=exact", null, reader));
        }
      }
      send(base, "POST", "/analytics/ingest", "{\"event_type\": \"pageview\", \"occurred_at\": \"" + time + "\"}",
          tenant("writer"));
      send(base, "GET", "/analytics/query?start_time=" + q, null, tenant("reader"));
      send(base, "GET", "/analytics/query?end_time=" + q + "&start_time=" + q, null, tenant("reader"));
      send(base, "GET", "/analytics/aggregate?metric=events&bucket=day&start_time=" + q, null, tenant("reader"));
      send(base, "GET", "/analytics/aggregate?metric=events&bucket=hour&end_time=" + q, null, tenant("reader"));
    }
  }

  private void hugeNumbers(URI base) {
    Map<String, String> writer = actor("numbers", "admin", HOSTILE_ORG);
    for (String n : NUMBERS) {
      for (String field : List.of("inputTokens", "outputTokens", "costMicros", "latencyMs")) {
        String event = UsageCalls.event("n-" + field + n.hashCode(), HOSTILE_ORG, Instant.now().toString())
            .replaceFirst("\"" + field + "\": [0-9]+", "\"" + field + "\": " + n);
        send(base, "POST", UsageCalls.EVENTS, UsageCalls.batch(event), writer);
      }
      String q = URLEncoder.encode(n, StandardCharsets.UTF_8);
      send(base, "GET", "/analytics/v1/orgs/" + HOSTILE_ORG + "/reliability?start=2026-10-01T00:00:00Z&end="
          + "2026-10-02T00:00:00Z&percentiles=" + q, null, writer);
      send(base, "GET", "/analytics/query?limit=" + q, null, tenant("reader"));
      send(base, "POST", "/analytics/ingest", "{\"event_type\": \"pageview\", \"payload\": {\"n\": " + n + "}}",
          tenant("writer"));
    }
  }

  private void duplicatedHeaders(URI base) {
    for (String name : IDENTITY_HEADERS) {
      for (String target : List.of("POST " + UsageCalls.EVENTS, "GET /analytics/v1/orgs/" + HOSTILE_ORG
          + "/usage?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z", "GET /analytics/query",
          "POST /analytics/ingest", "GET /analytics/aggregate?metric=events")) {
        String body = target.startsWith("POST " + UsageCalls.EVENTS) ? UsageCalls.batch(UsageCalls.event(
            "dup-" + UUID.randomUUID(), HOSTILE_ORG, Instant.now().toString())) : "{\"event_type\": \"pageview\"}";
        String head = target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "X-Actor-Subject: dup\r\nX-Actor-Roles: admin\r\nX-Actor-Orgs: " + HOSTILE_ORG + "\r\n"
            + "X-Tenant-ID: " + TENANT + "\r\nX-Mode: saas\r\nX-Project-ID: p1\r\n"
            + name + ": *\r\n" + name + ": " + OBSERVER_ORG + "\r\nContent-Type: application/json\r\n";
        int status = raw(base, head, body);
        record(status, "duplicate " + name + " " + target);
        assertThat(status).as("duplicate %s on %s", name, target).isIn(400, 429);
      }
    }
  }

  private void bareLineFeeds(URI base) {
    List<String> heads = List.of(
        "GET /analytics/v1/orgs/" + HOSTILE_ORG + "/usage?start=2026-10-01T00:00:00Z&end=2026-10-02T00:00:00Z"
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Actor-Subject: lf\nX-Actor-Orgs: *\r\n",
        "POST " + UsageCalls.EVENTS + " HTTP/1.1\nHost: localhost\nConnection: close\nX-Actor-Subject: lf\n"
            + "X-Actor-Roles: admin\nX-Actor-Orgs: " + HOSTILE_ORG + "\nContent-Type: application/json\n",
        "GET /analytics/query HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Actor-Subject: lf\r\n"
            + "X-Actor-Roles: admin\nX-Actor-Tenants: " + TENANT + "\r\nX-Tenant-ID: " + TENANT + "\r\n");
    for (String head : heads) {
      int status = raw(base, head, head.startsWith("POST") ? UsageCalls.batch(UsageCalls.event("lf-1", HOSTILE_ORG,
          Instant.now().toString())) : "");
      record(status, "bare LF");
      assertThat(status).as("bare LF in %s", head.lines().findFirst().orElse("")).isEqualTo(400);
    }
  }

  private void rotatedSubjects(URI base) {
    for (int i = 0; i < 400; i++) {
      String subject = "rot-" + UUID.randomUUID();
      if (i % 2 == 0) {
        send(base, "POST", UsageCalls.EVENTS, UsageCalls.batch(UsageCalls.event("rot-" + i, HOSTILE_ORG,
            Instant.now().toString())), actor(subject, "admin", HOSTILE_ORG));
      } else {
        send(base, "GET", "/analytics/v1/orgs/" + HOSTILE_ORG + "/usage?start=2026-10-01T00:00:00Z"
            + "&end=2026-10-02T00:00:00Z", null, actor(subject, "viewer", HOSTILE_ORG));
      }
      if (i % 4 == 0) {
        send(base, "GET", "/analytics/query", null, Map.of("X-Actor-Roles", "admin", "X-Tenant-ID", TENANT,
            "X-Mode", "saas"));
      }
    }
    assertThat(statuses).as("rotating subjects in one organisation meets its budget").containsKey(429);
  }

  static Map<String, String> tenant(String subject) {
    return with(actor(subject, "admin", null), "X-Actor-Tenants", TENANT, "X-Tenant-ID", TENANT, "X-Mode", "saas",
        "X-Project-ID", "p1");
  }

  private static java.util.Optional<String> dayLater(String time) {
    try {
      return java.util.Optional.of(URLEncoder.encode(Instant.parse(time).plus(Duration.ofDays(1)).toString(),
          StandardCharsets.UTF_8));
    } catch (RuntimeException notAnInstant) {
      return java.util.Optional.empty();
    }
  }

  private void send(URI base, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    int status;
    try {
      status = client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    record(status, method + " " + path);
  }

  private synchronized void record(int status, String what) {
    statuses.merge(status, 1, Integer::sum);
    if (status >= 500) {
      serverErrors.add(status + " " + what);
    }
  }

  /** @return the status of a request written byte for byte, -1 when the server closed without an answer */
  private static int raw(URI base, String head, String body) {
    String eol = head.endsWith("\r\n") ? "\r\n" : "\n";
    try {
      return RawHttp.status(RawHttp.exchange(base, head + "Content-Length: "
          + body.getBytes(StandardCharsets.UTF_8).length + eol + eol + body));
    } catch (java.io.UncheckedIOException e) {
      return -1;
    }
  }


  /** Partitions for days outside the server's window (MAX_EVENT_AGE back, plus the maintainer's day of slack). */
  private static long partitionsOutsideTheWindow(RunningTally tally) {
    int maxAgeDays = Integer.parseInt(tally.env.get("MAX_EVENT_AGE").replace("d", ""));
    return tally.app.services().database().jdbi().withHandle(h -> h.createQuery("""
        SELECT count(*) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'analytics.usage_events'::regclass
           AND to_date(substring(c.relname from 'usage_events_p([0-9]{8})$'), 'YYYYMMDD')
               NOT BETWEEN current_date - (:age + 2) AND current_date + 2""").bind("age", maxAgeDays)
        .mapTo(Long.class).one());
  }
}
