package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, finding 9: outside {@code CI=true} a class whose PostgreSQL is unreachable was skipped without a word
 * ({@code Tests run: 0}); under {@code CI=true} it fails. Either way the reason is printed now. Runs
 * {@link TestDatabases} in a child JVM pointed at a port where nothing listens.
 */
class UnreachableDatabaseTest {

  @Test
  void outsideCiTheSkipPrintsWhy() throws Exception {
    Child child = run(false);
    assertThat(child.output).contains("OUTCOME aborted");
    assertThat(child.output).contains("PostgreSQL at 127.0.0.1:" + child.port + " is unreachable");
  }

  @Test
  void underCiTheFailurePrintsWhy() throws Exception {
    Child child = run(true);
    assertThat(child.output).contains("OUTCOME failed");
    assertThat(child.output).contains("PostgreSQL at 127.0.0.1:" + child.port + " is unreachable");
  }

  record Child(int port, String output) {}

  private static Child run(boolean ci) throws IOException, InterruptedException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Dtally.test.pg.port=" + port, "-cp", System.getProperty("java.class.path"),
        UnreachableDatabaseProbe.class.getName()).redirectErrorStream(true);
    pb.environment().remove("CI");
    if (ci) {
      pb.environment().put("CI", "true");
    }
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Child(port, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
