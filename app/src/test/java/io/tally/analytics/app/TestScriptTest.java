package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, finding 9: {@code scripts/test} starts the services itself, so an unreachable one is a broken run; it
 * must say so to every test through {@code CI=true}, whatever the caller's environment. Runs the real script
 * with stand-ins for {@code scripts/services}, {@code promtool} and {@code mvn}; the alert rules are checked and
 * unit-tested before Maven runs (issue 10).
 */
class TestScriptTest {
  static final Path SCRIPT = Path.of("..", "scripts", "test").toAbsolutePath().normalize();

  @Test
  void scriptsTestExportsCiTrueToMaven() throws Exception {
    Path root = Files.createTempDirectory("tally-script-");
    Path scripts = Files.createDirectories(root.resolve("scripts"));
    Files.copy(SCRIPT, scripts.resolve("test"));
    executable(scripts.resolve("services"), "#!/usr/bin/env bash\necho services-started\n");
    Files.createDirectories(root.resolve("docs").resolve("prometheus"));
    Path bin = Files.createDirectories(root.resolve("bin"));
    executable(bin.resolve("promtool"), "#!/usr/bin/env bash\necho \"promtool $* in ${PWD##*/}\"\n");
    executable(bin.resolve("mvn"), "#!/usr/bin/env bash\necho \"mvn CI=${CI:-unset} args=$*\"\n");

    ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve("test").toString(), "-pl", "app")
        .redirectErrorStream(true);
    pb.environment().remove("CI");
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("services-started", "promtool check rules alerts.yml in prometheus",
        "promtool test rules alerts_test.yml in prometheus", "mvn CI=true args=-B -ntp verify -pl app");
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
