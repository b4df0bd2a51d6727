package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** The real server started in-process through {@code tally serve} on a free port, plus a small HTTP client. */
final class RunningTally implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final TallyApplication app;
  final String baseUrl;
  final String printed;
  final Map<String, String> env;
  private final HttpClient client = HttpClient.newHttpClient();

  private RunningTally(Map<String, String> env) {
    this.env = Map.copyOf(env);
    StringWriter out = new StringWriter();
    CommandLine cli = TallyCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    this.app = serve.start(TallyConfig.fromEnvironment(env));
    this.baseUrl = app.server().baseUrl();
    this.printed = out.toString();
  }

  /** Embedded PostgreSQL under {@code dataDir}. */
  static RunningTally embedded(Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("HTTP_PORT", "0");
    env.put("DATA_DIR", dataDir.toString());
    env.putIfAbsent("RATE_LIMIT_PER_MINUTE", "0");
    env.putIfAbsent("MAX_EVENT_AGE", FixtureWindow.maxEventAge());
    return new RunningTally(env);
  }

  /** An external database ({@code DATABASE_URL}). */
  static RunningTally onDatabase(String databaseUrl, Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DATABASE_URL", databaseUrl);
    return embedded(dataDir, env);
  }

  HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
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

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }



  @Override
  public void close() {
    app.close();
  }
}
