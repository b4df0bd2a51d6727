package io.tally.analytics.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally serve}: validates the configuration, starts the HTTP server and prints its URL with an example
 * {@code curl}; stops gracefully on SIGTERM/SIGINT. With no {@code DATABASE_URL} it runs on an embedded
 * PostgreSQL under {@code DATA_DIR}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the HTTP API (embedded PostgreSQL under DATA_DIR when DATABASE_URL is unset).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    TallyConfig config = parent.config();
    TallyApplication app = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "tally-shutdown"));
    stopped.await();
    return 0;
  }

  /** Starts everything and prints how to reach it; separate from {@link #call()} so tests need no signal. */
  TallyApplication start(TallyConfig config) {
    LOG.atInfo().addKeyValue("config", config.toString()).log("starting tally");
    TallyApplication app = TallyApplication.start(config);
    String url = app.server().baseUrl();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Tally is listening on " + url + " (" + app.services().database().describe(config) + ")");
    out.println("Try: curl -s " + url + "/analytics/v1/status/healthz");
    if (config.auth().mode() == AuthMode.TRUSTED_HEADERS) {
      out.println("     curl -s -H 'X-Actor-Subject: alice' -H 'X-Actor-Roles: admin' "
          + "-H 'X-Actor-Orgs: 00000000-0000-0000-0000-000000000001' '" + url
          + "/analytics/v1/orgs/00000000-0000-0000-0000-000000000001/usage"
          + "?start=2025-11-01T00:00:00Z&end=2025-11-08T00:00:00Z&granularity=daily'");
    }
    out.flush();
    return app;
  }
}
