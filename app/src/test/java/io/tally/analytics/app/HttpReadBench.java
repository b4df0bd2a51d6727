package io.tally.analytics.app;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.core.usage.IngestSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/bench http-read}: what a dashboard sees. A server on a fresh database seeded with a week of usage
 * (rolled up), then {@code wrk} (Debian's package) against {@code usage} (daily, 7 days), {@code reliability} (the
 * same range) and {@code healthz} at 1, 16 and 64 connections for a fixed time each, in the same run. {@code healthz}
 * is the reference: the same server, Jetty and JSON, no authentication, no query and no audit. The last line is
 * {@code BENCH http-read usage_rps=… healthz_rps=… ratio=… usage_p99_ms=…} at 16 connections.
 */
public final class HttpReadBench {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

  private HttpReadBench() {}

  /**
   * One measured case; {@code cpuUsPerRequest} is the server JVM's CPU time (all threads) per answered request,
   * {@code dbCpuUsPerRequest} that of the PostgreSQL backends serving the benchmark's database.
   */
  record Result(String endpoint, int connections, double rps, double p50Ms, double p99Ms, double cpuUsPerRequest,
      double dbCpuUsPerRequest) {}

  public static void main(String[] args) throws Exception {
    BenchLogging.toStderr();
    int events = intArg(args, "--events", 200_000);
    int seconds = intArg(args, "--seconds", 10);
    int orgs = intArg(args, "--orgs", 5);
    // The durability reference: what the audit commit's WAL flush costs (the server's default is on).
    String synchronousCommit = io.tally.analytics.adapter.postgres.BenchArgs.stringArg(args, "--synchronous-commit",
        "on");
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant start = end.minus(Duration.ofDays(7));
    try (FreshDatabase database = databaseWith(synchronousCommit);
        RunningTally tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-bench-"),
            Map.of("ROLLUP_INTERVAL", "1h", "LOG_LEVEL", "WARN"))) {
      seed(tally, events, orgs, start);
      String org = SyntheticUsage.orgId(1);
      String range = "?start=" + start + "&end=" + end + "&granularity=daily";
      Map<String, String> paths = new LinkedHashMap<>();
      paths.put("healthz", "/analytics/v1/status/healthz");
      paths.put("usage", "/analytics/v1/orgs/" + org + "/usage" + range);
      paths.put("reliability", "/analytics/v1/orgs/" + org + "/reliability" + range);
      System.out.printf("events=%d orgs=%d range=%s..%s seconds=%d per case, synchronous_commit=%s, wrk %s%n",
          events, orgs, start, end, seconds, synchronousCommit, wrkVersion());
      // Warm the JIT and the pool on every path before anything is measured.
      for (String path : paths.values()) {
        wrk(tally.baseUrl + path, 4, Math.max(2, seconds / 3));
      }
      List<Result> results = new ArrayList<>();
      for (int connections : new int[] {1, 16, 64}) {
        for (Map.Entry<String, String> p : paths.entrySet()) {
          long cpuBefore = processCpuNanos();
          Map<Long, Long> dbBefore = backendCpuTicks(database);
          String out = wrk(tally.baseUrl + p.getValue(), connections, seconds);
          long cpu = processCpuNanos() - cpuBefore;
          long dbCpu = ticksSince(dbBefore, backendCpuTicks(database)) * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
          Result r = parse(p.getKey(), connections, out, cpu, dbCpu);
          results.add(r);
          System.out.printf("%-11s c=%-3d %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  cpu us/req server %6.1f db %6.1f%n",
              r.endpoint(), connections, r.rps(), r.p50Ms(), r.p99Ms(), r.cpuUsPerRequest(), r.dbCpuUsPerRequest());
        }
      }
      Result usage = find(results, "usage", 16);
      Result healthz = find(results, "healthz", 16);
      System.out.printf("BENCH http-read usage_rps=%.0f healthz_rps=%.0f ratio=%.3f usage_p99_ms=%.1f%n", usage.rps(),
          healthz.rps(), usage.rps() / healthz.rps(), usage.p99Ms());
    }
  }

  private static FreshDatabase databaseWith(String synchronousCommit) throws java.sql.SQLException {
    if (!synchronousCommit.matches("on|off")) {
      throw new IllegalArgumentException("--synchronous-commit on|off");
    }
    FreshDatabase database = new FreshDatabase("tally_bench_http_read");
    try (java.sql.Connection c = database.connect(); java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database.name + " SET synchronous_commit = " + synchronousCommit);
    }
    return database;
  }

  private static void seed(RunningTally tally, int events, int orgs, Instant start) {
    SyntheticUsage g = new SyntheticUsage(orgs, 4, start, Duration.ofDays(7), 0, 0, 7);
    for (int done = 0; done < events; done += 5_000) {
      tally.app.services().ingest().ingest(new IngestCommand(SystemActor.get(), "bench-" + UUID.randomUUID(),
          IngestSource.direct(), g.next(Math.min(5_000, events - done)).stream().map(SyntheticUsage::candidate)
              .toList()));
    }
    RollupDrain.drain(tally.app.services().rollup());
  }

  private static Result find(List<Result> results, String endpoint, int connections) {
    return results.stream().filter(r -> r.endpoint().equals(endpoint) && r.connections() == connections).findFirst()
        .orElseThrow();
  }

  private static String wrk(String url, int connections, int seconds) throws IOException, InterruptedException {
    // Two wrk threads at most: the machine has two cores, shared with the server under test.
    List<String> command = List.of("wrk", "-t", Integer.toString(Math.min(2, connections)), "-c",
        Integer.toString(connections), "-d", seconds + "s", "--latency", "-H", "X-Actor-Subject: bench",
        "-H", "X-Actor-Roles: viewer", "-H", "X-Actor-Orgs: *", url);
    Process wrk;
    try {
      wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("wrk is missing: scripts/bench installs Debian's wrk package", e);
    }
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    Matcher bad = NON_2XX.matcher(out);
    if (bad.find()) {
      throw new IllegalStateException(bad.group(1) + " requests failed on " + url + ":\n" + out);
    }
    return out;
  }

  static Result parse(String endpoint, int connections, String out, long serverCpuNanos, long dbCpuNanos) {
    Matcher rps = RPS.matcher(out);
    Matcher requests = REQUESTS.matcher(out);
    if (!rps.find() || !requests.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + out);
    }
    return new Result(endpoint, connections, Double.parseDouble(rps.group(1)), percentile(out, "50"),
        percentile(out, "99"), serverCpuNanos / 1_000.0 / Math.max(1, Long.parseLong(requests.group(1))),
        dbCpuNanos / 1_000.0 / Math.max(1, Long.parseLong(requests.group(1))));
  }

  /** USER_HZ of Linux's /proc/[pid]/stat times (100 on every mainstream architecture). */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  /**
   * @return utime + stime (clock ticks) of each PostgreSQL backend connected to the benchmark's database, by pid;
   *     empty when /proc cannot be read (PostgreSQL on another machine)
   */
  private static Map<Long, Long> backendCpuTicks(FreshDatabase database) throws java.sql.SQLException {
    Map<Long, Long> ticks = new LinkedHashMap<>();
    try (java.sql.Connection c = database.connect(); java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      while (rs.next()) {
        long pid = rs.getLong(1);
        try {
          String stat = Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // Fields 14 and 15 of stat(5), counted from the state field (3rd) here.
          ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException | RuntimeException unreadable) {
          // Not on this machine, or the backend just ended: left out.
        }
      }
    }
    return ticks;
  }

  /** @return ticks spent between the two readings by the backends present in both */
  private static long ticksSince(Map<Long, Long> before, Map<Long, Long> after) {
    long total = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      Long was = before.get(e.getKey());
      if (was != null) {
        total += e.getValue() - was;
      }
    }
    return total;
  }

  /**
   * CPU time of this JVM, the server under test (wrk and PostgreSQL are other processes): what a request costs the
   * server whatever else the shared machine runs meanwhile.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double percentile(String out, String p) {
    Matcher m = Pattern.compile("\\s" + p + "%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + p + "% in wrk output:\n" + out);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      default -> value * 1000;
    };
  }

  private static String wrkVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().findFirst().orElse("?").replaceAll("\\s+\\[.*", "").trim();
  }
}
