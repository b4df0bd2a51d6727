package io.tally.analytics.adapter.postgres;

import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/** A process that starts the embedded server, writes one row, says READY and waits to be killed. */
public final class EmbeddedPostgresChild {
  private EmbeddedPostgresChild() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
    Jdbi.create(server.dataSource()).useHandle(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS crash_marker (note text NOT NULL)");
      h.execute("INSERT INTO crash_marker VALUES ('written before kill -9')");
    });
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
