package io.tally.analytics.app;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ActorHeaders.with;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Spans reach an OTLP receiver on loopback with their parent chain: HTTP request (continuing the caller's
 * {@code traceparent}) → use case → database statements; stream batch → ingest use case → statements; rollup run →
 * use case → statements. The access log line of the request carries its request id and trace id in the MDC, which
 * the JSON encoder writes.
 */
class TracingIT {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void spansArriveOverOtlpWithTheirParentChain() throws Exception {
    String stream = "tally-tracing-" + UUID.randomUUID();
    String org = "00000000-0000-0000-0000-00000000c0de";
    String hour = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS).toString();
    String event = """
        {"eventId": "%s", "orgId": "%s", "occurredAt": "%s", "modelId": "m", "inputTokens": 1, "outputTokens": 1,
         "costMicros": 1, "latencyMs": 5, "status": "success"}""";
    Logger access = (Logger) LoggerFactory.getLogger("io.tally.analytics.http.access");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    access.addAppender(logs);
    try (OtlpReceiver receiver = new OtlpReceiver(); FreshDatabase database = new FreshDatabase()) {
      try (RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-tracing-"),
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "SERVICE_NAME", "tally-it",
              "RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream, "RABBITMQ_BATCH_MAX_WAIT_MS", "50",
              "ROLLUP_INTERVAL", "200ms"))) {
        var ingested = tally.send("POST", "/analytics/v1/events", "{\"events\": [" + event.formatted("t-1", org, hour)
            + "]}", with(actor("bot", "admin", org), "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01",
            "X-Request-ID", "trace-it-1"));
        assertThat(ingested.statusCode()).as(ingested.body()).isBetween(200, 299);
        StreamSettings settings = StreamSettings.builder().uri(StreamIngestionIT.URL).stream(stream)
            .consumerName("tracing-publisher").build();
        try (UsageEventPublisher publisher = UsageEventPublisher.builder(settings).producerName("p-" + stream)
            .declareStream(true).open()) {
          publisher.publish(event.formatted("t-2", org, hour));
          publisher.flush(Duration.ofSeconds(10));
        }
        awaitSpan(receiver, s -> s.name().equals("stream batch"));
        awaitSpan(receiver, s -> s.name().equals("rollup run"));
      }
      // Closing the server flushed the exporter.
      assertThat(receiver.failures).as("requests the receiver could not decode").isEmpty();
      List<OtlpReceiver.ReceivedSpan> spans = List.copyOf(receiver.spans);
      assertThat(spans).allMatch(s -> s.service().equals("tally-it"));

      OtlpReceiver.ReceivedSpan http = one(spans, s -> s.name().equals("POST /analytics/v1/events"));
      assertThat(http.kind()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(http.traceId()).as("continues the caller's trace").isEqualTo(CALLER_TRACE);
      assertThat(http.parentSpanId()).isEqualTo(CALLER_SPAN);
      OtlpReceiver.ReceivedSpan ingest = childOf(spans, http, "IngestUsageBatch.ingest");
      assertThat(spans).as("statements under the HTTP ingest use case").anyMatch(s -> s.parentSpanId().equals(ingest.spanId())
          && s.name().startsWith("jdbi."));

      OtlpReceiver.ReceivedSpan batch = spans.stream().filter(s -> s.name().equals("stream batch"))
          .filter(b -> spans.stream().anyMatch(s -> s.parentSpanId().equals(b.spanId()))).findFirst().orElseThrow();
      assertThat(batch.parentSpanId()).as("a stream batch is a root span").isEmpty();
      assertThat(batch.kind()).isEqualTo("SPAN_KIND_CONSUMER");
      OtlpReceiver.ReceivedSpan streamIngest = childOf(spans, batch, "IngestUsageBatch.ingest");
      assertThat(spans).anyMatch(s -> s.parentSpanId().equals(streamIngest.spanId()) && s.name().startsWith("jdbi."));

      OtlpReceiver.ReceivedSpan run = spans.stream().filter(s -> s.name().equals("rollup run")).findFirst().orElseThrow();
      assertThat(run.parentSpanId()).isEmpty();
      OtlpReceiver.ReceivedSpan rollup = childOf(spans, run, "RunRollup.run");
      assertThat(spans).anyMatch(s -> s.parentSpanId().equals(rollup.spanId()) && s.name().startsWith("jdbi."));

      ILoggingEvent line = logs.list.stream().filter(e -> "trace-it-1".equals(e.getMDCPropertyMap().get("request_id")))
          .findFirst().orElseThrow();
      assertThat(line.getMDCPropertyMap()).containsEntry("trace_id", CALLER_TRACE).containsEntry("span_id", http.spanId());
      JsonEncoder json = new JsonEncoder();
      json.setContext(access.getLoggerContext());
      json.start();
      assertThat(new String(json.encode(line), StandardCharsets.UTF_8))
          .contains("\"request_id\":\"trace-it-1\"", "\"trace_id\":\"" + CALLER_TRACE + "\"");
    } finally {
      access.detachAppender(logs);
      try (BrokerView broker = new BrokerView()) {
        broker.deleteStream(stream);
      }
    }
  }

  private static void awaitSpan(OtlpReceiver receiver, Predicate<OtlpReceiver.ReceivedSpan> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (receiver.spans.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static OtlpReceiver.ReceivedSpan one(List<OtlpReceiver.ReceivedSpan> spans,
      Predicate<OtlpReceiver.ReceivedSpan> wanted) {
    Optional<OtlpReceiver.ReceivedSpan> found = spans.stream().filter(wanted).findFirst();
    assertThat(found).as("span among %s", spans.stream().map(OtlpReceiver.ReceivedSpan::name).distinct().toList())
        .isPresent();
    return found.get();
  }

  private static OtlpReceiver.ReceivedSpan childOf(List<OtlpReceiver.ReceivedSpan> spans,
      OtlpReceiver.ReceivedSpan parent, String name) {
    OtlpReceiver.ReceivedSpan child = one(spans, s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId()));
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    return child;
  }
}
