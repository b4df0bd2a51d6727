package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import io.tally.analytics.ports.testing.RequiredService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** The machine's RabbitMQ (stream port 5552) for integration tests; unreachable is reported by {@link RequiredService}. */
final class LocalBroker {
  static final String URI = System.getenv().getOrDefault("RABBITMQ_URL", StreamSettings.DEFAULT_URI);

  private LocalBroker() {}

  static void require() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 5552), 2_000);
    } catch (IOException e) {
      throw RequiredService.unreachable("RabbitMQ stream port 127.0.0.1:5552", e);
    }
  }

  static String uniqueStream(String prefix) {
    return "it-" + prefix + "-" + UUID.randomUUID();
  }

  static StreamSettings.Builder settings(String stream) {
    return StreamSettings.builder().uri(URI).stream(stream);
  }

  static Environment environment() {
    return Environment.builder().uri(URI).build();
  }

  static String event(int i) {
    return "{\"eventId\":\"e-" + i + "\",\"orgId\":\"00000000-0000-0000-0000-000000000001\","
        + "\"occurredAt\":\"2025-11-03T10:15:30.123Z\",\"modelId\":\"llama-3-70b\",\"inputTokens\":812,"
        + "\"outputTokens\":230,\"latencyMs\":912,\"status\":\"success\"}";
  }

  record Read(long offset, String body, String contentType) {}

  /** Reads the whole stream from the first offset until {@code expected} messages arrived and 500 ms pass quietly. */
  static List<Read> readAll(Environment env, String stream, int expected) throws InterruptedException {
    List<Read> out = new CopyOnWriteArrayList<>();
    Consumer c = env.consumerBuilder().stream(stream).offset(OffsetSpecification.first()).noTrackingStrategy()
        .messageHandler((ctx, m) -> out.add(new Read(ctx.offset(), new String(m.getBodyAsBinary(), StandardCharsets.UTF_8),
            m.getProperties() == null ? null : m.getProperties().getContentType())))
        .build();
    try {
      await(Duration.ofSeconds(30), () -> out.size() >= expected);
      int seen;
      do {
        seen = out.size();
        Thread.sleep(500);
      } while (out.size() != seen);
    } finally {
      c.close();
    }
    return out;
  }

  static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return;
      Thread.sleep(20);
    }
  }

  static void deleteQuietly(Environment env, String stream) {
    try {
      env.deleteStream(stream);
    } catch (RuntimeException ignored) {
      // already gone
    }
  }
}
