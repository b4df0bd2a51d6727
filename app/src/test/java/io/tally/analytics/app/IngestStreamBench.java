package io.tally.analytics.app;

import static io.tally.analytics.adapter.postgres.BenchArgs.intArg;
import static io.tally.analytics.adapter.postgres.BenchArgs.stringArg;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.stream.Environment;
import io.tally.analytics.adapter.http.ActorHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tally.analytics.adapter.postgres.PlainCopyTable;
import io.tally.analytics.adapter.postgres.PostgresMigrator;
import io.tally.analytics.adapter.postgres.TestDatabases;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code scripts/bench ingest-stream}: the stream consumer of {@code serve} against plain COPY, and publish-to-visible
 * latency in the usage API.
 *
 * <ol>
 *   <li><b>Throughput.</b> N synthetic events with the crash test's resends (1%) and invalid events (0.5%) are
 *       ingested in rounds that take turns with the reference, as {@code ingest-db}'s contenders do. Each round
 *       publishes its share to a fresh stream (not timed); the server's consumer ({@link StreamIngestion}:
 *       {@code StreamUsageConsumer} + {@code IngestingBatchSink} + the ingest use case over PostgreSQL, on the fresh,
 *       migrated database {@code tally_bench_stream}) ingests it until the database's stored offset is the round's
 *       last one (timed); then the rows that round stored are COPYed into a plain table ({@link PlainCopyTable}, the
 *       reference of {@code ingest-db}) in {@code tally_bench_stream_copy} (timed, COPYs only). The ratio is stream
 *       events/s over COPY rows/s, each summed over the rounds.</li>
 *   <li><b>Latency.</b> The rollup catches up on those rows, then the whole server starts on that database as
 *       {@code serve} does (consumer, rollup worker, HTTP API). Events for one dedicated org are published at a
 *       steady rate; the usage API is polled over HTTP about every 100 ms for the org's request count. The stream is
 *       ordered and batches commit in order, so when the count first reaches k, events 1..k are visible.</li>
 * </ol>
 *
 * <p>Arguments: {@code --events N} (1,000,000), {@code --rounds N} (5), {@code --rate N} events/s (10,000),
 * {@code --steady-seconds N} (60), {@code --batch N}, {@code --buffer N} and {@code --credits N} (consumer batch, most
 * buffered messages and chunk credits in phase 1; the adapter's defaults otherwise, with a buffer of at least two
 * batches), {@code --copy-batch N} (10,000),
 * {@code --rollup-interval D} ({@code ROLLUP_INTERVAL} in phase 2; the configuration's default otherwise),
 * {@code --seed N} (42). Progress on stderr, figures on stdout, last line {@code BENCH ingest-stream …}.
 */
public final class IngestStreamBench {
  private static final String URI = StreamSettings.DEFAULT_URI;
  private static final String DATABASE = "tally_bench_stream";
  private static final String COPY_DATABASE = "tally_bench_stream_copy";
  private static final long POLL_MILLIS = 100;
  private static final Duration STALL_LIMIT = Duration.ofSeconds(180);
  /** The crash test's rates ({@code StreamCrashLoopIT}): 1% resent duplicates, 0.5% invalid events. */
  private static final double RESEND_RATE = 0.01;
  private static final double INVALID_RATE = 0.005;

  private IngestStreamBench() {}

  public static void main(String[] args) throws Exception {
    BenchLogging.toStderr();
    int events = intArg(args, "--events", 1_000_000);
    int rate = intArg(args, "--rate", 10_000);
    int steadySeconds = intArg(args, "--steady-seconds", 60);
    int batch = intArg(args, "--batch", StreamSettings.builder().build().batchSize());
    int credits = intArg(args, "--credits", StreamSettings.builder().build().initialCredits());
    int copyBatch = intArg(args, "--copy-batch", 10_000);
    int rounds = intArg(args, "--rounds", 5);
    // Room for the next batch while one commits, as the defaults leave (10,000 buffered for batches of 5,000).
    int buffer = intArg(args, "--buffer", Math.max(StreamSettings.builder().build().maxBufferedMessages(), 2 * batch));
    long seed = intArg(args, "--seed", 42);
    String rollupInterval = stringArg(args, "--rollup-interval", "");
    String stream = "tally-bench-stream-" + UUID.randomUUID().toString().substring(0, 8);

    Map<String, String> env = new HashMap<>();
    env.put("RABBITMQ_URL", URI);
    env.put("RABBITMQ_STREAM", stream);
    env.put("LOG_LEVEL", System.getProperty("LOG_LEVEL"));
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    if (!rollupInterval.isEmpty()) {
      env.put("ROLLUP_INTERVAL", rollupInterval);
    }
    progress("load %s; stream %s", load(), stream);
    try (FreshDatabase database = new FreshDatabase(DATABASE);
        FreshDatabase copyDatabase = new FreshDatabase(COPY_DATABASE);
        DeletedStreams deleted = new DeletedStreams(stream)) {
      // An interrupted run (Ctrl-C) leaves neither the stream nor the databases behind either.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        deleted.close();
        copyDatabase.close();
        database.close();
      }));
      env.put("DATABASE_URL", database.url());
      Path dataDir = Files.createTempDirectory("tally-bench-stream-");
      env.put("DATA_DIR", dataDir.toString());
      env.put("HTTP_PORT", "0");
      TallyConfig config = TallyConfig.fromEnvironment(env);

      Throughput t = consume(config, stream, deleted, events, rounds, new Consumer(batch, buffer, credits),
          copyDatabase, copyBatch, seed);
      out("events=%d (%d unique valid, %d resent, %d invalid) rounds=%d consumer_batch=%d buffer=%d credits=%d"
          + " publish_rate=%.0f/s", events, t.uniqueValid, t.resent, t.invalid, rounds, batch, buffer, credits,
          t.publishRate);
      out("stream ingest: %.1f s, %.0f events/s (load %s)", t.streamSecs, events / t.streamSecs, t.loadAfterStream);
      out("plain COPY (batches of %d): %.1f s, %.0f rows/s (load %s)", copyBatch, t.copy.nanos() / 1e9,
          t.copy.rate(), t.loadAfterCopy);
      out("ratio %.3f (target >= 0.3)", t.ratio(events));
      t.profile.forEach((thread, shares) -> {
        out("thread %s, sampled every %d ms while ingesting:", thread, Sampler.EVERY_MILLIS);
        shares.forEach((k, v) -> { if (v >= 0.5) out("  %5.1f%%  %s", v, k); });
      });
      out("rollup catch-up on the %d events: %.1f s (%d events read)", events, t.rollupSecs, t.rollupRead);
      if (t.subscriptions > rounds || t.sinkFailures > 0) {
        out("warning: the consumer subscribed %d times and retried %d batches: the broker or the database went away"
            + " during the run, and the stream time includes the outage (one subscription per round is normal)",
            t.subscriptions, t.sinkFailures);
      }
      Latency l = steady(database, dataDir, env, stream, rate, steadySeconds, seed);
      if (l.published > 0) {
        printLatency(l, rate, config);
      }
      System.out.printf(Locale.ROOT,
          "BENCH ingest-stream events=%d rate=%.0f copy_rate=%.0f ratio=%.3f visible_p50_s=%.2f visible_p99_s=%.2f"
              + " steady_rate=%.0f%n",
          events, events / t.streamSecs, t.copy.rate(), t.ratio(events), l.p(0.50), l.p(0.99), l.achievedRate);
    }
  }

  private static void printLatency(Latency l, int rate, TallyConfig config) {
    out("steady: %d events for one org, asked %d/s, achieved %.0f/s, rollup interval %s (load %s)",
        l.published, rate, l.achievedRate, config.timings().rollupInterval(), l.load);
    out("visible after publish: p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s (target p99 < 2 s); never visible: %d",
        l.p(0.50), l.p(0.95), l.p(0.99), l.p(1.0), l.neverVisible);
    l.windows.forEach(w -> out("  %s", w));
    if (l.failedPolls > 0) {
      out("warning: %d usage API polls failed (counted as not yet visible)", l.failedPolls);
    }
    if (l.achievedRate < rate * 0.95) {
      out("note: the publisher did not hold the asked rate");
    }
  }

  /** Publishes one round's events to its own stream and waits for every confirm; returns the seconds it took. */
  private static double publish(String stream, SyntheticUsage generator, int events) {
    long t0 = System.nanoTime();
    try (SeedTarget.ToStream target = new SeedTarget.ToStream(publisher(stream, "bench-prepublish"))) {
      for (int done = 0; done < events; ) {
        int n = Math.min(1_000, events - done);
        target.send(generator.next(n));
        done += n;
      }
      target.rollUp(List.of());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The throughput phase, in rounds that take turns as {@code ingest-db}'s contenders do: each round publishes its
   * share of the events to a fresh stream (not timed), the consumer ingests it from start to stored last offset
   * (timed), then plain COPY writes the rows that round stored into the reference table (timed, COPYs only). The
   * neighbours' load then falls on both contenders alike. Events carry the crash test's resends (1%) and invalid
   * events (0.5%); the end state is checked exactly.
   */
  private static Throughput consume(TallyConfig config, String stream, DeletedStreams deleted, int events,
      int rounds, Consumer consumer, FreshDatabase copyDatabase, int copyBatch, long seed)
      throws InterruptedException {
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofDays(1));
    SyntheticUsage generator = new SyntheticUsage(20, 6, start, Duration.ofDays(1), RESEND_RATE, INVALID_RATE, seed);
    var target = TestDatabases.dataSource(copyDatabase.name);
    PostgresMigrator.migrate(target);
    try (TallyServices services = TallyServices.open(config, TallyApplication.WALL_CLOCK);
        PlainCopyTable reference = PlainCopyTable.open(Jdbi.create(target), LocalDate.ofInstant(start, ZoneOffset.UTC),
            LocalDate.ofInstant(end, ZoneOffset.UTC).plusDays(1))) {
      String consumerName = config.services().rabbitmqConsumer();
      Jdbi jdbi = services.database().jdbi();
      Sampler sampler = new Sampler("tally-stream-" + consumerName, "tally-stream-" + consumerName + "-prepare");
      long streamNanos = 0;
      double publishSecs = 0;
      long copyRows = 0;
      long copyNanos = 0;
      long subscriptions = 0;
      long sinkFailures = 0;
      String loadAfterStream = "";
      String loadAfterCopy = "";
      for (int r = 0; r < rounds; r++) {
        int n = events / rounds + (r < events % rounds ? 1 : 0);
        String roundStream = stream + "-r" + r;
        deleted.add(roundStream);
        publishSecs += publish(roundStream, generator, n);
        Instant before = jdbi.withHandle(h -> h.createQuery(
            "SELECT coalesce(max(ingested_at), '-infinity') FROM analytics.usage_events").mapTo(Instant.class).one());
        long t0 = System.nanoTime();
        var status = consumeRound(config, services, roundStream, consumerName, n, consumer, sampler);
        long took = System.nanoTime() - t0;
        streamNanos += took;
        subscriptions += status.subscriptions();
        sinkFailures += status.sinkFailures();
        loadAfterStream = load();
        PlainCopyTable.Timed copy = reference.copyIngestedAfter(jdbi, before, copyBatch);
        copyRows += copy.rows();
        copyNanos += copy.nanos();
        loadAfterCopy = load();
        progress("round %d: stream %,d events in %.1f s; COPY %,d rows in %.1f s (load %s)", r + 1, n, took / 1e9,
            copy.rows(), copy.nanos() / 1e9, loadAfterCopy);
      }
      long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM analytics.usage_events")
          .mapTo(Long.class).one());
      long deadLetters = services.deadLetters().count();
      if (rows != generator.uniqueValid() || deadLetters != generator.invalid() || copyRows != rows) {
        throw new IllegalStateException("rows " + rows + ", dead letters " + deadLetters + ", copied " + copyRows
            + "; expected " + generator.uniqueValid() + " rows and " + generator.invalid() + " dead letters");
      }
      progress("stream: %,d rows and %,d dead letters committed in %.1f s", rows, deadLetters, streamNanos / 1e9);

      progress("rolling up the %,d events before the latency phase", events);
      long r0 = System.nanoTime();
      long read = RollupDrain.drain(services.rollup());
      double rollupSecs = (System.nanoTime() - r0) / 1e9;
      return new Throughput(streamNanos / 1e9, loadAfterStream, new PlainCopyTable.Timed(copyRows, copyNanos),
          loadAfterCopy, sampler.shares(), rollupSecs, read, subscriptions, sinkFailures, events / publishSecs,
          generator.uniqueValid(), generator.duplicates(), generator.invalid());
    }
  }

  /** Runs the consumer on one round's stream until the database's stored offset is its last one. */
  private static io.tally.analytics.adapter.rabbitmq.ConsumerStatus consumeRound(TallyConfig config,
      TallyServices services, String stream, String consumerName, int events, Consumer options,
      Sampler sampler) throws InterruptedException {
    long t0 = System.nanoTime();
    StreamUsageConsumer consumer = StreamIngestion.start(
        StreamIngestion.settings(config).stream(stream).batchSize(options.batch()).maxBufferedMessages(options.buffer())
            .initialCredits(options.credits()).build(),
        services, TallyApplication.WALL_CLOCK, new SimpleMeterRegistry());
    sampler.start();
    long done = -1;
    long lastMove = t0;
    try {
      while (done < events - 1) {
        Thread.sleep(20);
        long now = System.nanoTime();
        long offset = services.usageEvents().committedOffset(stream, consumerName).orElse(-1L);
        if (offset != done) {
          lastMove = now;
        } else if (now - lastMove > STALL_LIMIT.toNanos()) {
          throw new IllegalStateException("no commit for " + STALL_LIMIT + " at offset " + offset);
        }
        done = offset;
      }
    } finally {
      sampler.stop();
      consumer.close();
    }
    return consumer.status();
  }

  private static Latency steady(FreshDatabase database, Path dataDir, Map<String, String> env, String stream,
      int rate, int seconds, long seed) throws InterruptedException {
    int total = Math.multiplyExact(rate, seconds);
    if (total == 0) {
      return Latency.of(new long[0], new long[0], 0, load(), 0); // --steady-seconds 0: throughput only
    }
    String org = SyntheticUsage.orgId(999_999);
    long[] publishedAt = new long[total];
    long[] visibleAt = new long[total];
    long[] committedAt = new long[total];
    Arrays.fill(visibleAt, -1);
    Arrays.fill(committedAt, -1);
    SyntheticUsage generator = new SyntheticUsage(1, 6, Instant.now(), Duration.ofHours(1), 0, 0, seed + 1);
    try (RunningTally tally = RunningTally.onDatabase(database.url(), dataDir, env)) {
      progress("server up at %s; publishing %,d events at %,d/s for org %s", tally.baseUrl, total, rate, org);
      Poller poller = new Poller(tally, org, visibleAt, committedAt);
      Thread pollThread = new Thread(poller, "bench-usage-poller");
      pollThread.start();
      long t0;
      long last;
      try (UsageEventPublisher publisher = publisher(stream, "bench-steady")) {
        t0 = System.nanoTime();
        last = t0;
        for (int i = 0; i < total; i++) {
          long due = t0 + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 1_000_000) {
            LockSupport.parkNanos(wait);
          }
          Map<String, String> fields = new HashMap<>(generator.next(1).get(0));
          fields.put("eventId", "steady-" + i);
          fields.put("orgId", org);
          fields.put("occurredAt", Instant.now().toString());
          byte[] body = SeedTarget.OverHttp.eventJson(fields).toString().getBytes(StandardCharsets.UTF_8);
          last = System.nanoTime();
          publishedAt[i] = last;
          publisher.publish(body);
          if ((i + 1) % (rate * 10) == 0) {
            progress("published %,d steady events; %,d visible", i + 1, poller.seen());
          }
        }
        publisher.flush(Duration.ofSeconds(60));
      }
      double achieved = total / Math.max(1e-9, (last - t0) / 1e9);
      String load = load();
      long deadline = System.nanoTime() + STALL_LIMIT.toNanos();
      while (poller.seen() < total && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      poller.stop();
      pollThread.join();
      progress("%,d of %,d steady events visible", poller.seen(), total);
      Latency committed = Latency.of(publishedAt, committedAt, achieved, load, 0);
      out("committed (stream sink, server's counter) after publish: p50 %.2f s, p99 %.2f s", committed.p(0.5),
          committed.p(0.99));
      committed.windows.forEach(w -> out("  %s", w));
      return Latency.of(publishedAt, visibleAt, achieved, load, poller.failed);
    }
  }

  private static UsageEventPublisher publisher(String stream, String producer) {
    StreamSettings settings = StreamSettings.builder().uri(URI).stream(stream).build();
    return UsageEventPublisher.builder(settings).producerName(producer + "-" + stream).declareStream(true).open();
  }

  /** Polls the org's request count over HTTP; the first answer at or above k marks events 1..k visible. */
  private static final class Poller implements Runnable {
    private final RunningTally tally;
    private final String path;
    private final Map<String, String> headers;
    private final long[] visibleAt;
    private final long[] committedAt;
    private final io.micrometer.core.instrument.FunctionCounter committed;
    private final long committedBefore;
    private int committedSeen;
    private volatile int seen;
    private volatile int failed;
    private volatile boolean stopped;

    Poller(RunningTally tally, String org, long[] visibleAt, long[] committedAt) {
      this.tally = tally;
      this.committedAt = committedAt;
      // The server's own counter of events its stream sink committed (only this org publishes now).
      this.committed = tally.app.metrics().registry().get("analytics_stream_ingested_events").functionCounter();
      this.committedBefore = (long) committed.count();
      Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
      this.path = "/analytics/v1/orgs/" + org + "/usage?start=" + today.minus(Duration.ofDays(1)) + "&end="
          + today.plus(Duration.ofDays(2)) + "&granularity=daily";
      this.headers = ActorHeaders.actor("bench", "viewer", org);
      this.visibleAt = visibleAt;
    }

    int seen() {
      return seen;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      while (!stopped && seen < visibleAt.length) {
        long sent = System.nanoTime();
        int done = (int) Math.min(committedAt.length, (long) committed.count() - committedBefore);
        for (int k = committedSeen; k < done; k++) {
          committedAt[k] = sent;
        }
        committedSeen = Math.max(committedSeen, done);
        try {
          HttpResponse<String> r = tally.get(path, headers);
          long answered = System.nanoTime();
          if (r.statusCode() != 200) {
            throw new IllegalStateException("usage API answered " + r.statusCode() + ": " + r.body());
          }
          JsonNode usage = RunningTally.json(r);
          int count = (int) Math.min(visibleAt.length, usage.at("/totals/requests").asLong());
          for (int k = seen; k < count; k++) {
            visibleAt[k] = answered;
          }
          seen = Math.max(seen, count);
        } catch (RuntimeException e) {
          // A shared machine: another process may take a service away for a moment. Counted and reported.
          failed++;
          progress("usage poll failed: %s", e.getMessage());
        }
        LockSupport.parkNanos(Math.max(0, POLL_MILLIS * 1_000_000 - (System.nanoTime() - sent)));
      }
    }
  }

  /** Where the consumer's threads are, by the innermost Tally frame of sampled stacks, per thread. */
  private static final class Sampler {
    static final int EVERY_MILLIS = 10;
    private final List<String> threadNames;
    private final Map<String, Map<String, Integer>> counts = new java.util.LinkedHashMap<>();
    private volatile boolean stopped;
    private Thread thread;

    Sampler(String... threadNames) {
      this.threadNames = List.of(threadNames);
      this.threadNames.forEach(n -> counts.put(n, new java.util.TreeMap<>()));
    }

    /** Starts (or resumes, for the next round) sampling. */
    void start() {
      stopped = false;
      thread = new Thread(this::run, "bench-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      stopped = true;
      thread.join();
    }

    private void run() {
      Map<String, Thread> targets = new HashMap<>();
      while (!stopped) {
        for (String name : threadNames) {
          Thread target = targets.get(name);
          if (target == null || !target.isAlive()) {
            target = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .findFirst().orElse(null);
            targets.put(name, target);
          }
          if (target != null) {
            String where = classify(target.getStackTrace());
            synchronized (counts) {
              counts.get(name).merge(where, 1, Integer::sum);
            }
          }
        }
        LockSupport.parkNanos(EVERY_MILLIS * 1_000_000L);
      }
    }

    static String classify(StackTraceElement[] stack) {
      boolean inJdbc = false;
      for (StackTraceElement f : stack) {
        String c = f.getClassName();
        if (c.startsWith("org.postgresql.") || c.startsWith("com.zaxxer.hikari.")) {
          inJdbc = true;
        }
        if (!c.startsWith("io.tally.")) {
          continue;
        }
        if (c.startsWith("io.tally.analytics.adapter.postgres.")) {
          String at = c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
          return (inJdbc ? "postgres, in JDBC/server: " : "postgres, Java: ") + at;
        }
        if (c.endsWith(".UsageEventDecoder") || c.endsWith(".UsageEventMessage")) {
          return "stream: decode message (JSON to candidate)";
        }
        if (c.endsWith(".StreamUsageConsumer")) {
          return "stream: consumer (waiting for or collecting messages)";
        }
        if (c.startsWith("io.tally.analytics.core.")) {
          return "core: validate, fingerprint, price";
        }
        return "other: " + c.substring(c.lastIndexOf('.') + 1);
      }
      return "outside Tally code";
    }

    /** @return per sampled thread (that ever ran), share of samples per place, in percent */
    Map<String, Map<String, Double>> shares() {
      synchronized (counts) {
        Map<String, Map<String, Double>> all = new java.util.LinkedHashMap<>();
        counts.forEach((name, places) -> {
          int total = places.values().stream().mapToInt(Integer::intValue).sum();
          if (total == 0) {
            return;
          }
          Map<String, Double> out = new java.util.LinkedHashMap<>();
          places.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
              .forEach(e -> out.put(e.getKey(), 100.0 * e.getValue() / total));
          all.put(name, out);
        });
        return all;
      }
    }
  }

  /** The consumer's options in phase 1. */
  private record Consumer(int batch, int buffer, int credits) {}

  /** The stream's rate counts every message (resends and invalid ones too), COPY's the rows it wrote. */
  private record Throughput(double streamSecs, String loadAfterStream, PlainCopyTable.Timed copy,
      String loadAfterCopy, Map<String, Map<String, Double>> profile, double rollupSecs, long rollupRead,
      long subscriptions, long sinkFailures, double publishRate, long uniqueValid, long resent, long invalid) {
    double ratio(int events) {
      return (events / streamSecs) / copy.rate();
    }
  }

  private record Latency(double[] sortedSecs, int published, long neverVisible, double achievedRate, String load,
      int failedPolls, List<String> windows) {
    static final int WINDOW_SECONDS = 10;

    static Latency of(long[] publishedAt, long[] visibleAt, double achievedRate, String load, int failedPolls) {
      double[] sorted = visibleSecs(publishedAt, visibleAt, 0, publishedAt.length);
      // The same figures per 10 s of publishing: a latency that grows through the run shows here.
      List<String> windows = new java.util.ArrayList<>();
      for (int from = 0; from < publishedAt.length; ) {
        int to = from;
        while (to < publishedAt.length && publishedAt[to] - publishedAt[from] < WINDOW_SECONDS * 1_000_000_000L) {
          to++;
        }
        double[] w = visibleSecs(publishedAt, visibleAt, from, to);
        windows.add(String.format(Locale.ROOT, "published %3d-%3d s: p50 %5.2f s, p99 %5.2f s (%d events)",
            Math.round((publishedAt[from] - publishedAt[0]) / 1e9),
            Math.round((publishedAt[to - 1] - publishedAt[0]) / 1e9),
            rank(w, 0.5), rank(w, 0.99), to - from));
        from = to;
      }
      return new Latency(sorted, publishedAt.length, publishedAt.length - sorted.length, achievedRate, load,
          failedPolls, windows);
    }

    private static double[] visibleSecs(long[] publishedAt, long[] visibleAt, int from, int to) {
      double[] secs = new double[to - from];
      int n = 0;
      for (int i = from; i < to; i++) {
        if (visibleAt[i] >= 0) {
          secs[n++] = (visibleAt[i] - publishedAt[i]) / 1e9;
        }
      }
      double[] sorted = Arrays.copyOf(secs, n);
      Arrays.sort(sorted);
      return sorted;
    }

    /** Nearest-rank percentile; events never seen count as not measured (reported apart). */
    private static double rank(double[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    double p(double q) {
      return rank(sortedSecs, q);
    }
  }

  /** Deletes the benchmark's streams at the end, whatever happened (once; also from the shutdown hook). */
  private static final class DeletedStreams implements AutoCloseable {
    private final List<String> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    DeletedStreams(String stream) {
      streams.add(stream);
    }

    void add(String stream) {
      streams.add(stream);
    }

    @Override
    public void close() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      try (Environment environment = Environment.builder().uri(URI).build()) {
        for (String stream : streams) {
          try {
            environment.deleteStream(stream);
          } catch (RuntimeException e) {
            // The steady phase's stream exists only when that phase ran.
            if (!String.valueOf(e.getMessage()).contains("STREAM_DOES_NOT_EXIST")) {
              progress("could not delete stream %s: %s", stream, e.getMessage());
            }
          }
        }
      } catch (RuntimeException e) {
        progress("could not delete streams %s: %s", streams, e.getMessage());
      }
    }
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static void progress(String fmt, Object... args) {
    System.err.println("[ingest-stream] " + String.format(Locale.ROOT, fmt, args));
  }

  private static void out(String fmt, Object... args) {
    System.out.println(String.format(Locale.ROOT, fmt, args));
  }
}
