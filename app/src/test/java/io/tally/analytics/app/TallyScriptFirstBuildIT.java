package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/tally} (what {@code scripts/serve} runs) on a first build: the offline attempt fails with a wall of
 * {@code [ERROR]} lines about dependencies not downloaded yet; the user sees one line saying it builds online instead.
 * Runs a copy of the script in a scratch tree with a stand-in {@code mvn} on the PATH (offline: 40 [ERROR] lines and
 * failure; online: puts the real built app in place), so nothing is downloaded and the work tree is not touched.
 */
class TallyScriptFirstBuildIT {
  @Test
  void theOfflineAttemptsErrorsAreNotShown() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path builtJar = Files.list(repo.resolve("app/target")).filter(p -> p.getFileName().toString().matches("app-.*\\.jar")
        && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElseThrow();
    Path scratch = Files.createTempDirectory("tally-first-build-");
    Files.createDirectories(scratch.resolve("scripts"));
    Files.copy(repo.resolve("scripts/tally"), scratch.resolve("scripts/tally"));
    Files.writeString(scratch.resolve("pom.xml"), "<project/>");
    Path bin = Files.createDirectories(scratch.resolve("bin"));
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, """
        #!/usr/bin/env bash
        for a in "$@"; do
          if [[ "$a" == "-o" ]]; then
            for i in $(seq 1 40); do echo "[ERROR] Cannot access central in offline mode ($i)"; done
            exit 1
          fi
        done
        mkdir -p app/target && cp '%s' app/target/ && ln -sfn '%s' app/target/lib
        """.formatted(builtJar, repo.resolve("app/target/lib")));
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", "scripts/tally", "--version").directory(scratch.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Path err = scratch.resolve("err.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err);
    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(out.strip()).isEqualTo("tally 0.1.0");
    assertThat(stderr).doesNotContain("[ERROR]")
        .contains("[tally] not everything is in the local Maven repository yet; building online (first build only)");
    assertThat(stderr.lines().count()).as(stderr).isLessThanOrEqualTo(2);
  }
}
