package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Environment;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.testdata.Actors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/stream-publishing.md, compiled and run against the local broker so the guide cannot rot. */
class StreamPublishingExampleIT {

  /** What a service's own replayable source looks like: position n holds one request's usage. */
  record Request(long position, String requestId, String orgId, String model, long in, long out, long latencyMs) {}

  @Test
  void theGuideWorksAsWritten() throws Exception {
    LocalBroker.require();
    String stream = LocalBroker.uniqueStream("guide");
    List<Request> outbox = List.of(
        new Request(1, "req-1", "00000000-0000-0000-0000-000000000001", "llama-3-70b", 812, 230, 912),
        new Request(2, "req-2", "00000000-0000-0000-0000-000000000001", "llama-3-70b", 100, 20, 300),
        new Request(3, "req-3", "00000000-0000-0000-0000-000000000002", "mistral-7b", 5, 7, 120));
    try (Environment env = LocalBroker.environment()) {
      try {
        // --- begin guide snippet ---
        StreamSettings settings = StreamSettings.builder()
            .uri(LocalBroker.URI)          // e.g. System.getenv("RABBITMQ_URL")
            .stream(stream)                // "analytics.usage.v1" in production
            .build();
        try (UsageEventPublisher publisher = UsageEventPublisher.builder(settings)
            .producerName("billing-gateway-eu-1")   // stable per source, one live instance per name
            .maxInFlight(5_000)
            .open()) {
          long resumeAt = publisher.lastPublishingId() + 1;          // 1 on the very first run
          for (Request r : outbox) {
            if (r.position() < resumeAt) continue;                   // the broker already has it
            UsageEventMessage event = UsageEventMessage.ok(r.requestId(), r.orgId(), Instant.now(), r.model(),
                r.in(), r.out(), r.latencyMs());
            publisher.publish(r.position(), event.toJson());         // id = position in the source
          }
          publisher.flush(Duration.ofSeconds(10));                   // every message confirmed
        }
        // --- end guide snippet ---
        assertThat(LocalBroker.readAll(env, stream, 3)).hasSize(3)
            .extracting(LocalBroker.Read::body).allMatch(b -> b.startsWith("{\"eventId\":\"req-"));
        assertTallyAcceptsAll(settings, outbox.size());
      } finally {
        LocalBroker.deleteQuietly(env, stream);
      }
    }
  }

  /** The other side of the guide: Tally's consumer and ingest path store every published event. */
  private static void assertTallyAcceptsAll(StreamSettings published, int count) throws InterruptedException {
    InMemoryUsageModule tally = new InMemoryUsageModule(Instant.now().plusSeconds(60));
    StreamSettings settings = LocalBroker.settings(published.stream()).consumerName("guide").build();
    IngestingBatchSink sink = new IngestingBatchSink(tally.ingest,
        new StoreOffsetSource(tally.events), tally.clock, Actors.system());
    try (StreamUsageConsumer consumer = StreamUsageConsumer.builder(settings, new StoreOffsetSource(tally.events), sink)
        .start()) {
      LocalBroker.await(Duration.ofSeconds(30), () -> sink.totals().accepted() + sink.totals().deadLettered() >= count);
    }
    assertThat(tally.deadLetters.latest(10)).isEmpty();
    assertThat(sink.totals().accepted()).isEqualTo(count);
  }
}