package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server still running on an embedded data directory after the JVM that started it died without
 * stopping it ({@code kill -9}, OOM killer, power to the container cut): the postmaster is a separate process and
 * outlives its parent, and a new start on the same directory fails with "another server might be running".
 *
 * <p>Only a process whose pid is in the directory's {@code postmaster.pid} and whose command is a postgres
 * binary is touched, and it gets PostgreSQL's own shutdown signal (SIGTERM, a smart shutdown: its clients
 * died with the old JVM), so its data is flushed as in a normal stop.
 */
final class LeftoverPostmaster {
  private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);

  private final ProcessHandle process;
  private final Path dataDirectory;

  private LeftoverPostmaster(ProcessHandle process, Path dataDirectory) {
    this.process = process;
    this.dataDirectory = dataDirectory;
  }

  /** @return the live postmaster serving {@code dataDirectory}, if its pid file names one */
  static Optional<LeftoverPostmaster> find(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    return firstLinePid(pidFile)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(LeftoverPostmaster::isPostgres)
        .map(p -> new LeftoverPostmaster(p, dataDirectory));
  }

  long pid() {
    return process.pid();
  }

  /** Asks the postmaster to shut down and waits for it to exit. */
  void stop(Duration timeout) {
    LOG.warn("PostgreSQL (pid {}) is still running on {} after an unclean exit of the previous Tally process; "
        + "stopping it before starting a new one", process.pid(), dataDirectory);
    process.destroy();
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new PostgresAdapterException("the PostgreSQL left running on " + dataDirectory + " (pid "
          + process.pid() + ") did not stop within " + timeout.toSeconds() + " s; stop it and start again", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresAdapterException("interrupted while stopping PostgreSQL pid " + process.pid(), e);
    } catch (ExecutionException e) {
      throw new PostgresAdapterException("could not wait for PostgreSQL pid " + process.pid(), e);
    }
  }

  private static Optional<Long> firstLinePid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      // Unreadable or half-written: PostgreSQL itself decides whether the file is stale.
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle p) {
    return p.info().command().map(c -> Path.of(c).getFileName().toString())
        .filter(name -> name.equals("postgres") || name.equals("postmaster")).isPresent();
  }
}
