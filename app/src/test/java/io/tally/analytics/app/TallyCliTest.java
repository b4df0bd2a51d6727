package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.http.TallyHttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TallyCliTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  CommandLine cli(Map<String, String> env) {
    return TallyCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void badConfigurationPrintsOneLineAndExits2() {
    int exit = cli(Map.of("HTTP_PORT", "nope")).execute("serve");
    assertThat(exit).isEqualTo(TallyCli.EXIT_CONFIG);
    assertThat(err.toString().strip()).doesNotContain("\n").startsWith("tally: configuration error: HTTP_PORT:");
  }

  @Test
  void trustedHeadersOnAPublicAddressIsRefusedAtStart() {
    int exit = cli(Map.of("HTTP_HOST", "0.0.0.0")).execute("serve");
    assertThat(exit).isEqualTo(TallyCli.EXIT_CONFIG);
    assertThat(err.toString()).contains("TRUSTED_PROXY_CIDRS");
  }

  @Test
  void serveStartsOnAFreePortAndPrintsTheUrlAndACurl() throws Exception {
    CommandLine cli = cli(Map.of("HTTP_PORT", "0"));
    ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
    TallyHttpServer server = serve.start(TallyConfig.fromEnvironment(Map.of("HTTP_PORT", "0")));
    try {
      assertThat(server.port()).isPositive();
      assertThat(out.toString()).contains("Tally is listening on " + server.baseUrl())
          .contains("curl -s " + server.baseUrl() + "/analytics/v1/status/healthz");
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/analytics/v1/status/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    } finally {
      server.stop();
    }
  }

  @Test
  void skeletonCommandsValidateConfigFirst() {
    assertThat(cli(Map.of("LOG_LEVEL", "LOUD")).execute("migrate")).isEqualTo(TallyCli.EXIT_CONFIG);
    assertThat(cli(Map.of()).execute("seed", "--orgs", "0")).isEqualTo(2);
  }

  @Test
  void helpListsTheFourCommands() {
    assertThat(cli(Map.of()).execute("--help")).isZero();
    assertThat(out.toString()).contains("serve", "migrate", "seed", "verify");
  }
}
