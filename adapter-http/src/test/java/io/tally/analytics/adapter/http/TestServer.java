package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.analytics.ports.in.AuditRefusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real server on a free loopback port plus a small JDK HTTP client, for handler tests. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final TallyHttpServer server;
  final HttpMetrics metrics;
  private final HttpClient client = HttpClient.newHttpClient();

  TestServer(Authenticator authenticator, RateLimits limits, long maxBodyBytes, List<ReadinessCheck> checks,
      List<Route> extraRoutes) {
    this(authenticator, limits, AuditRefusals.none(), maxBodyBytes, checks, extraRoutes);
  }

  TestServer(Authenticator authenticator, RateLimits limits, AuditRefusals refusals, long maxBodyBytes,
      List<ReadinessCheck> checks, List<Route> extraRoutes) {
    metrics = new HttpMetrics(HttpMetrics.newRegistry());
    List<Route> routes = new ArrayList<>(new StatusRoutes(checks, metrics, java.time.Duration.ofSeconds(2)).routes());
    routes.addAll(extraRoutes);
    server = new HttpServerFactory(new HttpSettings("127.0.0.1", 0, maxBodyBytes), authenticator, limits, refusals,
        metrics).create(routes).start();
  }

  HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, Map<String, String> headers) {
    return send("GET", path, null, headers);
  }

  HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
