package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Where {@code tally seed} sends its batches: straight into the ingest use case over the configured database, or
 * to a running server's {@code POST /analytics/v1/events} (needed when the server owns the embedded database).
 */
interface SeedTarget extends AutoCloseable {
  /** @return events the store accepted as new */
  long send(List<Map<String, String>> batch);

  /** Makes the events visible in the usage API (runs or awaits the rollup). */
  void rollUp(List<String> orgIds);

  @Override
  void close();

  /** Direct ingest through the use cases. */
  final class Direct implements SeedTarget {
    private final TallyServices services;

    Direct(TallyServices services) {
      this.services = services;
    }

    @Override
    public long send(List<Map<String, String>> batch) {
      return services.ingest().ingest(new IngestCommand(SystemActor.get(), "seed-" + UUID.randomUUID(),
          IngestSource.direct(), batch.stream().map(SyntheticUsage::candidate).toList())).accepted();
    }

    @Override
    public void rollUp(List<String> orgIds) {
      RollupDrain.drain(services.rollup());
    }

    @Override
    public void close() {
      services.close();
    }
  }

  /** A running server in trusted-headers mode, as a platform-wide ingest service. */
  final class OverHttp implements SeedTarget {
    private static final Set<String> NUMBERS = Set.of("inputTokens", "outputTokens", "costMicros", "latencyMs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROLLUP_WAIT = Duration.ofSeconds(120);

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Instant> lastSentPerOrg = new java.util.HashMap<>();

    OverHttp(String baseUrl) {
      this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    @Override
    public long send(List<Map<String, String>> batch) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode events = body.putArray("events");
      for (Map<String, String> fields : batch) {
        events.add(eventJson(fields));
      }
      JsonNode report = call(HttpRequest.newBuilder(URI.create(baseUrl + "/analytics/v1/events"))
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type", "application/json"));
      Instant sentAt = TallyApplication.WALL_CLOCK.now();
      batch.forEach(fields -> lastSentPerOrg.put(fields.get("orgId"), sentAt));
      return report.path("accepted").asLong();
    }

    /** Waits until the server's rollup watermark of every org has passed the last batch it got. */
    @Override
    public void rollUp(List<String> orgIds) {
      Instant deadline = TallyApplication.WALL_CLOCK.now().plus(ROLLUP_WAIT);
      for (String org : orgIds) {
        Instant lastSent = lastSentPerOrg.get(org);
        if (lastSent == null) {
          continue;
        }
        Instant day = lastSent.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        while (true) {
          JsonNode usage = call(HttpRequest.newBuilder(URI.create(baseUrl + "/analytics/v1/orgs/" + org
              + "/usage?start=" + day + "&end=" + day.plus(Duration.ofDays(1)) + "&granularity=daily")).GET());
          String last = usage.path("freshness").path("lastRollupAt").asText("");
          if (!last.isEmpty() && !Instant.parse(last).isBefore(lastSent)) {
            break;
          }
          if (TallyApplication.WALL_CLOCK.now().isAfter(deadline)) {
            throw new IllegalStateException("the server's rollup did not catch up within " + ROLLUP_WAIT);
          }
          sleep();
        }
      }
    }

    /** The wire JSON of one synthetic event (numbers as JSON numbers), as {@code POST /events} takes it. */
    static ObjectNode eventJson(Map<String, String> fields) {
      ObjectNode e = JSON.createObjectNode();
      fields.forEach((k, v) -> {
        if (NUMBERS.contains(k)) {
          e.put(k, Long.parseLong(v));
        } else {
          e.put(k, v);
        }
      });
      return e;
    }

    private JsonNode call(HttpRequest.Builder request) {
      request.header("X-Actor-Subject", "tally-seed").header("X-Actor-Roles", "admin").header("X-Actor-Orgs", "*")
          .timeout(Duration.ofSeconds(60));
      try {
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("server answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
      } catch (IOException e) {
        throw new IllegalStateException("cannot reach " + baseUrl + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    @Override
    public void close() {
      // The JDK client holds no resources that need closing on Java 17.
    }
  }

  /**
   * The usage stream, through {@link UsageEventPublisher}. The n-th generated event is published under id n, so a
   * re-run with the same producer name and seed skips every id the broker already holds
   * ({@link UsageEventPublisher#lastPublishingId()}) and publishes nothing twice.
   */
  final class ToStream implements SeedTarget {
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(60);

    private final UsageEventPublisher publisher;
    private final long alreadyPublished;
    private long position;

    ToStream(UsageEventPublisher publisher) {
      this.publisher = publisher;
      this.alreadyPublished = publisher.lastPublishingId();
    }

    /** @return events published under an id the broker did not hold yet */
    @Override
    public long send(List<Map<String, String>> batch) {
      long sent = 0;
      try {
        for (Map<String, String> fields : batch) {
          position++;
          if (position > alreadyPublished) {
            publisher.publish(position, OverHttp.eventJson(fields).toString().getBytes(StandardCharsets.UTF_8));
            sent++;
          }
        }
      } catch (TallyException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      return sent;
    }

    /** Waits for every confirm; the server's consumer does the rest. */
    @Override
    public void rollUp(List<String> orgIds) {
      try {
        publisher.flush(FLUSH_WAIT);
      } catch (TallyException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    /** @return the highest id the broker held for the producer name before this run */
    long alreadyPublished() {
      return alreadyPublished;
    }

    @Override
    public void close() {
      publisher.close();
    }
  }
}
