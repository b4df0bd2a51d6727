package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
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
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    return new RunningTally(env);
  }

  /** An external database ({@code DATABASE_URL}). */
  static RunningTally onDatabase(String databaseUrl, Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DATABASE_URL", databaseUrl);
    return embedded(dataDir, env);
  }

  /** Status and body of a response read off a raw socket. */
  record RawResponse(int status, String body) {}

  /**
   * Sends only the head of a request that declares a body of {@code contentLength} bytes, and reads the answer.
   * For oversize bodies: the server answers 413 from the Content-Length and closes, and a client still writing
   * megabytes at that moment sees a reset instead of the answer (the JDK client did, in a clean run; its
   * Expect: 100-continue support hangs on a final answer in JDK 17).
   */
  RawResponse sendHeadOnly(String method, String path, long contentLength, Map<String, String> headers)
      throws IOException {
    URI uri = URI.create(baseUrl);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
          + uri.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength
          + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
      int split = answer.indexOf("\r\n\r\n");
      String body = answer.substring(split + 4);
      boolean chunked = answer.substring(0, split).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
      return new RawResponse(status, chunked ? unchunk(body) : body);
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
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
