package io.tally.analytics.app;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tally.analytics.adapter.localfs.LocalDirectoryObjectStore;
import io.tally.analytics.adapter.postgres.PostgresExportJobStore;
import io.tally.analytics.adapter.postgres.PostgresFreshnessStore;
import io.tally.analytics.adapter.postgres.PostgresMigrator;
import io.tally.analytics.adapter.postgres.PostgresRollupStore;
import io.tally.analytics.adapter.postgres.PostgresUsageEventStore;
import io.tally.analytics.adapter.s3.LocalS3Proxy;
import io.tally.analytics.adapter.s3.S3ObjectStore;
import io.tally.analytics.adapter.s3.S3Settings;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.ports.in.RunExports.ExportRun;
import io.tally.analytics.ports.in.RunExports.Outcome;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.service.ExportSettings;
import io.tally.analytics.ports.service.RunExportsService;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

/**
 * {@code scripts/bench export}: one organisation's raw events of one day ({@code --rows}, default 1,000,000) →
 * CSV → object store, through the real use case and adapters (PostgreSQL scan, CSV with the formula guard,
 * SHA-256, S3Proxy multipart upload or the local store's fsync + rename, manifest, commit), against PostgreSQL's
 * own {@code COPY (SELECT …) TO STDOUT (FORMAT csv)} of the same rows into a byte counter, in the same run.
 * Run with {@code -Xmx256m}. Heap growth is the peak of the old and survivor generations during the export over
 * their size after a GC before it (eden, refilled by every allocation, is left out). The last line is
 * {@code BENCH export rows=… seconds=… heap_growth_mb=… ratio=…} for S3, ratio = our rows/s ÷ COPY's rows/s.
 */
public final class ExportBench {
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-0000000000be");
  private static final String COPY_SQL = """
      COPY (SELECT occurred_at, event_id, model_id, status, error_code, input_tokens, output_tokens, cost_micros,
                   cost_micros / 1000000.0, latency_ms, api_key_id, actor_id, region
              FROM analytics.usage_events
             WHERE org_id = '%s' AND occurred_at >= '%s' AND occurred_at < '%s'
             ORDER BY occurred_at, event_id) TO STDOUT (FORMAT csv, HEADER)""";

  private ExportBench() {}

  public static void main(String[] args) throws Exception {
    BenchLogging.toStderr();
    int rows = intArg(args, "--rows", 1_000_000);
    int runs = intArg(args, "--runs", 3);
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
    Instant end = day.plus(Duration.ofDays(1));
    say("max heap %d MB", Runtime.getRuntime().maxMemory() >> 20);
    try (FreshDatabase database = new FreshDatabase("tally_bench_export");
        HikariDataSource pool = pool(database.name);
        S3ObjectStore s3 = new S3ObjectStore(LocalS3Proxy.newBucket().withPartSize(S3Settings.DEFAULT_PART_SIZE))) {
      PostgresMigrator.migrate(pool);
      Jdbi jdbi = Jdbi.create(pool);
      long t0 = System.nanoTime();
      RawEventLoader.load(jdbi, ORG, day, Duration.ofDays(1), rows);
      say("loaded %,d raw events in %.1f s", rows, secs(System.nanoTime() - t0));
      ObjectStore local = new LocalDirectoryObjectStore(Files.createTempDirectory("tally-bench-export-"),
          new DownloadLinkSigner(new byte[32]), () -> "http://127.0.0.1/", Instant::now);

      double copyBest = Double.MAX_VALUE;
      Result localBest = null;
      Result s3Best = null;
      for (int run = 1; run <= runs; run++) {
        double copy = copyOut(pool, COPY_SQL.formatted(ORG, day, end));
        copyBest = Math.min(copyBest, copy);
        say("run %d: COPY … TO STDOUT (FORMAT csv) %.2f s (%,.0f rows/s)", run, copy, rows / copy);
        Result l = export(jdbi, local, rows, day, end);
        say("run %d: export → local store      %.2f s (%,.0f rows/s), %,d bytes, heap growth %.1f MB", run,
            l.seconds, rows / l.seconds, l.bytes, l.heapGrowthMb);
        Result s = export(jdbi, s3, rows, day, end);
        say("run %d: export → S3 (S3Proxy)     %.2f s (%,.0f rows/s), %,d bytes, heap growth %.1f MB", run,
            s.seconds, rows / s.seconds, s.bytes, s.heapGrowthMb);
        localBest = localBest == null || l.seconds < localBest.seconds ? l : localBest;
        s3Best = s3Best == null || s.seconds < s3Best.seconds ? s : s3Best;
      }
      double copyRate = rows / copyBest;
      double heap = Math.max(localBest.heapGrowthMb, s3Best.heapGrowthMb);
      say("best: COPY %.2f s; local %.2f s (ratio %.2f); S3 %.2f s (ratio %.2f)", copyBest, localBest.seconds,
          rows / localBest.seconds / copyRate, s3Best.seconds, rows / s3Best.seconds / copyRate);
      System.out.printf("BENCH export rows=%d seconds=%.2f heap_growth_mb=%.1f ratio=%.2f local_seconds=%.2f"
          + " local_ratio=%.2f copy_seconds=%.2f%n", rows, s3Best.seconds, heap, rows / s3Best.seconds / copyRate,
          localBest.seconds, rows / localBest.seconds / copyRate, copyBest);
    }
  }

  private record Result(double seconds, long bytes, double heapGrowthMb) {}

  private static Result export(Jdbi jdbi, ObjectStore store, int rows, Instant day, Instant end)
      throws InterruptedException {
    TimeSource clock = Instant::now;
    PostgresExportJobStore jobs = new PostgresExportJobStore(jdbi);
    ExportSettings settings = ExportSettings.defaults().withRawMaxRows(rows).withTallyVersion("bench");
    RunExportsService service = new RunExportsService(jobs, new PostgresRollupStore(jdbi),
        new PostgresUsageEventStore(jdbi, clock), new PostgresFreshnessStore(jdbi), store, clock, settings);
    jobs.create(ExportJob.pending(UUID.randomUUID().toString(), ORG.toString(), "bench",
        new ExportSpec(ExportKind.RAW_EVENTS, day, end, ExportGranularity.DAILY), 1, clock.now()));
    HeapWatch watch = HeapWatch.start();
    long t0 = System.nanoTime();
    ExportRun run = service.runNext("bench-" + UUID.randomUUID()).orElseThrow();
    double seconds = secs(System.nanoTime() - t0);
    double growth = watch.stop();
    if (run.outcome() != Outcome.SUCCEEDED || run.job().rowCount().orElse(-1L) != rows) {
      throw new IllegalStateException("export did not deliver " + rows + " rows: " + run);
    }
    return new Result(seconds, run.job().result().orElseThrow().manifest().bytes(), growth);
  }

  private static double copyOut(HikariDataSource pool, String sql) throws Exception {
    try (Connection c = pool.getConnection()) {
      AtomicLong bytes = new AtomicLong();
      OutputStream counter = new OutputStream() {
        @Override
        public void write(int b) {
          bytes.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.addAndGet(len);
        }
      };
      long t0 = System.nanoTime();
      c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, counter);
      return secs(System.nanoTime() - t0);
    }
  }

  /** Samples old + survivor generations every 20 ms on a thread of its own. */
  private static final class HeapWatch {
    private final List<MemoryPoolMXBean> retained = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().toLowerCase().contains("eden")).toList();
    private final long baseline;
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread sampler;

    private HeapWatch() {
      System.gc();
      baseline = used();
      sampler = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(used(), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      sampler.setDaemon(true);
    }

    static HeapWatch start() {
      HeapWatch w = new HeapWatch();
      w.sampler.start();
      return w;
    }

    private long used() {
      return retained.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    double stop() throws InterruptedException {
      running = false;
      sampler.join();
      peak.accumulateAndGet(used(), Math::max);
      return Math.max(0, peak.get() - baseline) / (1024.0 * 1024.0);
    }
  }

  private static HikariDataSource pool(String database) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres");
    hc.setMaximumPoolSize(4);
    return new HikariDataSource(hc);
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.printf(fmt + "%n", args);
  }
}
