package io.tally.analytics.app;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scripts/bench http-ingest}: events/s through {@code POST /analytics/v1/events} (batches of 1,000, several
 * concurrent clients) against the in-process ingest use case over the same PostgreSQL adapter in the same run
 * (what HTTP adds: JSON, authentication, RBAC, audit, Jetty). Interleaved rounds on a fresh database; the last line
 * is {@code BENCH http-ingest ratio=… p99_ms=…}.
 */
public final class HttpIngestBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMBERS = Set.of("inputTokens", "outputTokens", "costMicros", "latencyMs");

  private HttpIngestBench() {}

  public static void main(String[] args) throws Exception {
    BenchLogging.toStderr();
    int events = intArg(args, "--events", 200_000);
    int batch = intArg(args, "--batch", 1_000);
    int clients = intArg(args, "--clients", 4);
    int rounds = intArg(args, "--rounds", 2);
    try (FreshDatabase database = new FreshDatabase();
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-bench-"),
            Map.of("ROLLUP_INTERVAL", "1h", "LOG_LEVEL", "WARN", "MAX_BATCH_EVENTS", Integer.toString(batch)))) {
      double directBest = 0;
      double httpBest = 0;
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      for (int round = 0; round < rounds; round++) {
        List<List<Map<String, String>>> a = batches(events, batch, 100 + round * 2);
        List<List<Map<String, String>>> b = batches(events, batch, 101 + round * 2);
        double direct = run(a, clients, part -> {
          tally.app.services().ingest().ingest(new IngestCommand(SystemActor.get(), "bench-" + UUID.randomUUID(),
              IngestSource.direct(), part.stream().map(SyntheticUsage::candidate).toList()));
        });
        HttpClient client = HttpClient.newHttpClient();
        List<Long> roundLatencies = Collections.synchronizedList(new ArrayList<>());
        List<String> bodies = b.stream().map(HttpIngestBench::body).toList();
        AtomicInteger next = new AtomicInteger();
        double http = run(b, clients, part -> {
          String body = bodies.get(next.getAndIncrement());
          long t0 = System.nanoTime();
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(tally.baseUrl + "/analytics/v1/events"))
              .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
              .header("X-Actor-Subject", "bench").header("X-Actor-Roles", "admin").header("X-Actor-Orgs", "*")
              .build(), HttpResponse.BodyHandlers.ofString());
          roundLatencies.add(System.nanoTime() - t0);
          if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
          }
        });
        System.out.printf("round %d: direct %.0f events/s, http %.0f events/s, ratio %.3f%n", round + 1, direct,
            http, http / direct);
        directBest = Math.max(directBest, direct);
        httpBest = Math.max(httpBest, http);
        latencies.addAll(roundLatencies);
      }
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      double p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6;
      System.out.printf("events=%d batch=%d clients=%d rounds=%d direct_best=%.0f/s http_best=%.0f/s%n", events, batch,
          clients, rounds, directBest, httpBest);
      System.out.printf("BENCH http-ingest ratio=%.3f p99_ms=%.1f%n", httpBest / directBest, p99);
    }
  }

  interface Sender {
    void send(List<Map<String, String>> batch) throws Exception;
  }

  private static double run(List<List<Map<String, String>>> batches, int clients, Sender sender) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < batches.size(); ) {
          sender.send(batches.get(i));
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    long events = batches.stream().mapToLong(List::size).sum();
    return events / ((System.nanoTime() - t0) / 1e9);
  }

  private static List<List<Map<String, String>>> batches(int events, int batch, long seed) {
    Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    SyntheticUsage g = new SyntheticUsage(20, 6, end.minus(Duration.ofDays(30)), Duration.ofDays(30), 0, 0, seed);
    List<List<Map<String, String>>> out = new ArrayList<>();
    for (int done = 0; done < events; done += batch) {
      out.add(g.next(Math.min(batch, events - done)));
    }
    return out;
  }

  private static String body(List<Map<String, String>> batch) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("events");
    for (Map<String, String> f : batch) {
      ObjectNode e = arr.addObject();
      f.forEach((k, v) -> {
        if (NUMBERS.contains(k)) {
          e.put(k, Long.parseLong(v));
        } else {
          e.put(k, v);
        }
      });
    }
    return root.toString();
  }
}
