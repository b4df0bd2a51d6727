package io.tally.analytics.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tally serve} in a JVM of its own, so that a test can end it with SIGKILL as a crash would (no shutdown
 * hook, no drain, no offset stored) or with SIGTERM as an orchestrator would. Its output goes to a log file.
 *
 * <p>The child runs {@link #main}, which starts the real {@link Main} and only adds an exit when its parent (the
 * test JVM) is gone, so a test JVM that dies or times out leaves no server consuming.
 */
final class ServeProcess implements AutoCloseable {
  private final Process process;
  final Path log;

  private ServeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param env the child's whole environment (nothing is inherited from the test JVM's)
   * @param log where its stdout and stderr go
   */
  static ServeProcess start(Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Small heap and serial GC: less memory and fewer threads on a busy 2-core machine.
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC",
        ServeProcess.class.getName(), "serve")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    // Through the environment, not -cp: the test class path can outgrow a comfortable command line.
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    return new ServeProcess(pb.start(), log);
  }

  /** The child's entry point: the real {@code Main}, ended with its parent. */
  public static void main(String[] args) {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(3)));
    Main.main(args);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits for the process to be gone; @return its exit code (137) */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return awaitExit(30);
  }

  /** SIGTERM (the shutdown hook drains the consumer and stores the offset); @return the exit code */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit(90);
  }

  private int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("serve (pid " + pid() + ") still running " + seconds + " s after a signal; "
          + "log: " + tail());
    }
    return process.exitValue();
  }

  /** @return the last lines of the log, for failure messages */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
