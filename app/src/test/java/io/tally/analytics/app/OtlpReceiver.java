package io.tally.analytics.app;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OTLP/HTTP trace receiver on a free loopback port: decodes each export request and keeps its spans. */
final class OtlpReceiver implements AutoCloseable {
  /** One received span; ids in lower-case hex, parent empty for a root span. */
  record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind) {}

  private final HttpServer server;
  final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  /** What the receiver could not decode (the test reports it). */
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        receive(ExportTraceServiceRequest.parseFrom(body));
      } catch (IOException | RuntimeException | Error e) {
        failures.add(e);
        exchange.sendResponseHeaders(400, -1);
        exchange.close();
        return;
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void receive(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = rs.getResource().getAttributesList().stream().filter(a -> a.getKey().equals("service.name"))
          .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst().orElse("");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(s -> spans.add(new ReceivedSpan(service, hex.formatHex(s.getTraceId().toByteArray()),
            hex.formatHex(s.getSpanId().toByteArray()), hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(),
            s.getKind().name())));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
