package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  void skeletonCommandsValidateConfigFirst() {
    assertThat(cli(Map.of("LOG_LEVEL", "LOUD")).execute("migrate")).isEqualTo(TallyCli.EXIT_CONFIG);
    assertThat(cli(Map.of()).execute("seed", "--orgs", "0")).isEqualTo(2);
  }

  @Test
  void seedingFurtherBackThanTheEventTimeWindowIsRefusedUpFront() {
    assertThat(cli(Map.of()).execute("seed", "--days", "401")).isEqualTo(2);
    assertThat(err.toString()).contains("--days 401 reaches beyond MAX_EVENT_AGE (400 days)");
  }

  @Test
  void aCommandThatFailsAtStartPrintsOneLineNotAStackTrace(@TempDir Path dataDir) {
    // Nothing listens on port 1: the pool gives up after its initialization timeout. DATA_DIR: in development the
    // route-secrets key is generated there before the database is opened (without it, app/data in the source tree).
    int exit = cli(Map.of("DATABASE_URL", "postgres://tally@127.0.0.1:1/tally", "DATA_DIR", dataDir.toString()))
        .execute("migrate");
    assertThat(exit).isEqualTo(TallyCli.EXIT_FAILURE);
    assertThat(err.toString().strip()).doesNotContain("\n").startsWith("tally migrate: ").doesNotContain("\tat ");
  }

  @Test
  void helpListsTheFourCommands() {
    assertThat(cli(Map.of()).execute("--help")).isZero();
    assertThat(out.toString()).contains("serve", "migrate", "seed", "verify");
  }

  @Test
  void outsideDevelopmentServeRefusesToStartWithoutARouteSecretsKeyBeforeTouchingTheDatabase() {
    // The database URL points at a closed port: were it opened first, the failure would be a database error.
    int exit = cli(Map.of("ENVIRONMENT", "production", "DATABASE_URL", "postgres://tally@127.0.0.1:1/tally"))
        .execute("serve");
    assertThat(exit).isEqualTo(TallyCli.EXIT_CONFIG);
    assertThat(err.toString()).contains("ROUTE_SECRETS_KEY").contains("ENVIRONMENT=production");
  }
}
