package io.tally.analytics.app;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import io.tally.analytics.adapter.postgres.PostgresFreshnessStore;
import io.tally.analytics.adapter.postgres.PostgresRollupQuarantine;
import io.tally.analytics.adapter.postgres.PostgresRollupSums;
import io.tally.analytics.adapter.postgres.UsageQueryBench;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.RecordingAccessGuard;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.testdata.Actors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Second half of {@code scripts/bench usage-query}: the same usage query (daily, 90 days, the largest org, all
 * models) on the database {@link UsageQueryBench} loaded, as a user gets it, through {@code GET …/usage} of a real
 * server (trusted-headers authentication, RBAC, the audit record committed before the answer, Jetty, JSON), next
 * to the in-process use case without audit (the figure {@link UsageQueryBench} reports) and the app's own use case
 * with audit, one call of each in turn. The last line is {@code BENCH usage-query-http …}.
 */
public final class UsageQueryHttpBench {
  private UsageQueryHttpBench() {}

  public static void main(String[] args) throws Exception {
    BenchLogging.toStderr();
    int runs = intArg(args, "--runs", 200);
    Instant start = UsageQueryBench.START;
    Instant end = start.plus(Duration.ofDays(UsageQueryBench.DAYS));
    String url = "postgres://postgres@127.0.0.1:5432/" + UsageQueryBench.DB;
    try (RunningTally tally = RunningTally.onDatabase(url, Files.createTempDirectory("tally-bench-"),
        Map.of("ROLLUP_INTERVAL", "1h", "LOG_LEVEL", "WARN"))) {
      Jdbi jdbi = tally.app.services().database().jdbi();
      UUID org = jdbi.withHandle(h -> h.createQuery("SELECT org_id FROM analytics.usage_rollup_daily GROUP BY org_id"
          + " ORDER BY sum(requests) DESC LIMIT 1").mapTo(UUID.class).one());
      FreshnessReader reader = new FreshnessReader(new PostgresFreshnessStore(jdbi), FreshnessCache.none(),
          new PostgresRollupQuarantine(jdbi), new FreshnessPolicy(Duration.ofSeconds(600)), Instant::now);
      QueryUsage unaudited = new QueryUsageService(new RecordingAccessGuard(), new PostgresRollupSums(jdbi), reader);
      Actor actor = Actors.system();
      UsageQuery query = new UsageQuery(actor, org, Granularity.DAILY, new TimeWindow(start, end), Optional.empty(),
          GroupBy.MODEL);
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create(tally.baseUrl + "/analytics/v1/orgs/" + org
              + "/usage?start=" + start + "&end=" + end + "&granularity=daily"))
          .header("X-Actor-Subject", "bench").header("X-Actor-Roles", "viewer").header("X-Actor-Orgs", org.toString())
          .GET().build();
      Work http = () -> {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
      };
      Work inProcess = () -> unaudited.query(query);
      Work audited = () -> tally.app.services().usage().query(query);
      Work[] contenders = {inProcess, audited, http};
      double[][] ms = new double[3][runs];
      for (int i = 0; i < Math.max(20, runs / 5); i++) {
        for (Work w : contenders) {
          w.run(); // warm-up: JIT, plans, buffers, connections
        }
      }
      for (int i = 0; i < runs; i++) {
        for (int c = 0; c < 3; c++) {
          long t0 = System.nanoTime();
          contenders[c].run();
          ms[c][i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      String[] names = {"in-process, no audit", "in-process, audited", "HTTP (auth + audit)"};
      for (int c = 0; c < 3; c++) {
        Arrays.sort(ms[c]);
        System.out.printf(Locale.ROOT, "usage %-21s p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  (%d runs)%n",
            names[c], pct(ms[c], 50), pct(ms[c], 95), pct(ms[c], 99), runs);
      }
      System.out.printf(Locale.ROOT, "BENCH usage-query-http inprocess_p50_ms=%.2f inprocess_p95_ms=%.2f"
              + " audited_p95_ms=%.2f http_p50_ms=%.2f http_p95_ms=%.2f http_p99_ms=%.2f%n", pct(ms[0], 50),
          pct(ms[0], 95), pct(ms[1], 95), pct(ms[2], 50), pct(ms[2], 95), pct(ms[2], 99));
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
