package io.tally.analytics.app;

import io.tally.analytics.adapter.http.HttpMetrics;
import io.tally.analytics.adapter.http.TallyHttpServer;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
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
 * {@code curl}; stops gracefully on SIGTERM/SIGINT. The use-case routes, the embedded PostgreSQL default and
 * the rollup worker are wired here as their adapters land.
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
    TallyHttpServer server = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      server.stop();
      stopped.countDown();
    }, "tally-shutdown"));
    stopped.await();
    return 0;
  }

  /** Starts the server and prints how to reach it; separate from {@link #call()} so tests need no signal. */
  TallyHttpServer start(TallyConfig config) {
    LOG.atInfo().addKeyValue("config", config.toString()).log("starting tally");
    HttpMetrics metrics = new HttpMetrics(HttpMetrics.newRegistry());
    TallyHttpServer server = HttpServerWiring.build(config, List.of(), metrics, List.of(), Instant::now).start();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Tally is listening on " + server.baseUrl());
    out.println("Try: curl -s " + server.baseUrl() + "/analytics/v1/status/healthz");
    if (config.auth().mode() == AuthMode.TRUSTED_HEADERS) {
      out.println("     curl -s -H 'X-Actor-Subject: alice' -H 'X-Actor-Roles: admin' "
          + "-H 'X-Actor-Orgs: 00000000-0000-0000-0000-000000000001' '" + server.baseUrl()
          + "/analytics/v1/orgs/00000000-0000-0000-0000-000000000001/usage"
          + "?start=2025-11-01T00:00:00Z&end=2025-11-08T00:00:00Z&granularity=daily'");
    }
    out.flush();
    return server;
  }
}
