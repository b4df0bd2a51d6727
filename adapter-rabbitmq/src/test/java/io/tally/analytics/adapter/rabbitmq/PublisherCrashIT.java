package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "publisher crash" fault test: a publisher in its own JVM is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) three times while it has messages in flight, restarted each time under
 * the same producer name, and resumes from {@code getLastPublishingId()}; the last run completes. The stream
 * must then hold every one of the 200,000 events exactly once, in publishing-id order.
 *
 * <p>The kill moments are random but seeded ({@code -Dtally.crash.seed=…} replays a run): each run is killed
 * a random 20,000–45,000 confirmed ids after it resumed, plus a random 0–200 ms, so the kill lands while up to
 * {@link #MAX_IN_FLIGHT} messages are sent and unconfirmed. Everything is bounded by {@link #BUDGET}.
 */
class PublisherCrashIT {
  private static final int TOTAL = 200_000;
  private static final int KILLS = 3;
  private static final int MAX_PER_SECOND = 50_000;
  private static final int MAX_IN_FLIGHT = 5_000;
  private static final long SEED = Long.getLong("tally.crash.seed", 20251125L);
  private static final Duration BUDGET = Duration.ofMinutes(10);
  private static final Duration READ_STALL = Duration.ofSeconds(20);
  private static final String PRODUCER = "crash-worker";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Environment env;
  private String stream;
  private final List<Worker> workers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    env = LocalBroker.environment();
    stream = LocalBroker.uniqueStream("publisher-crash");
  }

  @AfterEach
  void tearDown() {
    workers.forEach(Worker::kill);
    if (env != null) {
      LocalBroker.deleteQuietly(env, stream);
      env.close();
    }
  }

  /** One SIGKILL: the last progress line the test saw, and where the next run found the broker. */
  record Kill(long threshold, long lastReported, long brokerHadOnResume) {}

  @Test
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void streamHoldsEachEventExactlyOnceAfterThreeKillNines() throws Exception {
    long deadline = System.nanoTime() + BUDGET.toNanos();
    Random random = new Random(SEED);
    List<Kill> kills = new ArrayList<>();
    long started = System.nanoTime();

    long threshold = 0;
    long lastReported = 0;
    for (int run = 0; run <= KILLS; run++) {
      Worker worker = start();
      long resumedAfter = worker.await(PublisherCrashWorker.RESUME, deadline);
      if (run == 0) {
        assertThat(resumedAfter).as("a fresh producer name starts at 0").isZero();
      } else {
        // Confirmed means stored: the broker must hold at least what the killed run reported as confirmed.
        assertThat(resumedAfter).as("broker's last publishing id after kill %d", run).isGreaterThanOrEqualTo(lastReported);
        kills.add(new Kill(threshold, lastReported, resumedAfter));
      }
      if (run == KILLS) {
        assertThat(worker.await(PublisherCrashWorker.DONE, deadline)).isEqualTo(TOTAL);
        assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).as("last worker exits").isTrue();
        assertThat(worker.process.exitValue()).isZero();
        break;
      }
      // At MAX_PER_SECOND the last 40,000 take 0.8 s at least: the kill (at most 200 ms later) lands mid-way.
      threshold = Math.min(resumedAfter + 20_000 + random.nextInt(25_001), TOTAL - 40_000);
      lastReported = worker.awaitProgress(threshold, deadline);
      Thread.sleep(random.nextInt(201));
      assertThat(worker.process.isAlive()).as("run %d still publishing when killed", run + 1).isTrue();
      worker.process.destroyForcibly();
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).as("killed worker is gone").isTrue();
      // 128 + SIGKILL: the JVM had no chance to flush, close or run a hook.
      assertThat(worker.process.exitValue()).isEqualTo(137);
      lastReported = Math.max(lastReported, worker.progress.get());
    }
    long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    long[] seen = readWholeStream(deadline);
    long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) - publishMillis;
    System.out.printf("PublisherCrashIT seed=%d total=%d kills=%s publish_ms=%d read_ms=%d messages=%d%n",
        SEED, TOTAL, kills, publishMillis, readMillis, seen[0]);

    assertThat(kills).hasSize(KILLS);
    assertThat(kills).allSatisfy(k -> assertThat(k.brokerHadOnResume()).as("killed mid-way").isLessThan(TOTAL));
    assertExactlyOnceInOrder(seen);
  }

  /**
   * Reads the stream from its first offset with a plain consumer until {@link #TOTAL} messages arrived (or
   * nothing arrived for {@link #READ_STALL}) and a further second passes without any, so copies past the end
   * would be seen too. Counted per offset: if the client reconnects (a broker restart) and hands over an
   * offset again, that is the client redelivering, not a copy in the stream, and it is skipped.
   *
   * @return element 0 = messages read, 1 = out-of-order deliveries, 2 = unreadable bodies, then per id 1..TOTAL
   *     how often it was read (index {@code 2 + id}); ids outside the range count as unreadable
   */
  private long[] readWholeStream(long deadline) throws InterruptedException {
    long[] seen = new long[TOTAL + 3];
    AtomicLong count = new AtomicLong();
    long[] previous = {0, -1}; // id, offset
    Consumer consumer = env.consumerBuilder().stream(stream).offset(OffsetSpecification.first()).noTrackingStrategy()
        .messageHandler((ctx, message) -> {
          long id = eventNumber(message.getBodyAsBinary());
          synchronized (seen) {
            if (ctx.offset() <= previous[1]) return;
            previous[1] = ctx.offset();
            seen[0]++;
            if (id < 1 || id > TOTAL) {
              seen[2]++;
            } else {
              if (id <= previous[0]) seen[1]++;
              previous[0] = id;
              seen[2 + (int) id]++;
            }
          }
          count.incrementAndGet();
        })
        .build();
    try {
      long lastCount = -1;
      long lastChange = System.nanoTime();
      while (count.get() < TOTAL && System.nanoTime() < deadline
          && System.nanoTime() - lastChange < READ_STALL.toNanos()) {
        Thread.sleep(50);
        if (count.get() != lastCount) {
          lastCount = count.get();
          lastChange = System.nanoTime();
        }
      }
      long before;
      do {
        before = count.get();
        Thread.sleep(1_000);
      } while (count.get() != before && System.nanoTime() < deadline);
    } finally {
      consumer.close();
    }
    synchronized (seen) {
      return seen.clone();
    }
  }

  private static long eventNumber(byte[] body) {
    try {
      String eventId = JSON.readTree(body).path("eventId").asText("");
      return eventId.startsWith("crash-") ? Long.parseLong(eventId.substring("crash-".length())) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static void assertExactlyOnceInOrder(long[] seen) {
    List<Long> missing = new ArrayList<>();
    List<Long> repeated = new ArrayList<>();
    for (int id = 1; id <= TOTAL; id++) {
      if (seen[2 + id] == 0 && missing.size() < 20) missing.add((long) id);
      if (seen[2 + id] > 1 && repeated.size() < 20) repeated.add((long) id);
    }
    assertThat(missing).as("event ids missing from the stream (first 20)").isEmpty();
    assertThat(repeated).as("event ids stored more than once (first 20)").isEmpty();
    assertThat(seen[2]).as("messages that are not crash-1..crash-" + TOTAL).isZero();
    assertThat(seen[1]).as("messages whose id is not above the previous one").isZero();
    assertThat(seen[0]).as("messages in the stream").isEqualTo(TOTAL);
  }

  private Worker start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
        PublisherCrashWorker.class.getName(),
        LocalBroker.URI, stream, PRODUCER, Integer.toString(TOTAL), Integer.toString(MAX_IN_FLIGHT),
        Integer.toString(MAX_PER_SECOND))
        .redirectErrorStream(true);
    // Through the environment, not -cp: the test class path can outgrow a comfortable command line.
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Worker worker = new Worker(pb.start());
    workers.add(worker);
    return worker;
  }

  /** A running worker JVM and the lines it has printed, read on a daemon thread so it never blocks on stdout. */
  private static final class Worker {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final AtomicLong progress = new AtomicLong();

    Worker(Process process) {
      this.process = process;
      Thread reader = new Thread(this::pump, "crash-worker-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void pump() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith(PublisherCrashWorker.PUBLISHED)) {
            progress.accumulateAndGet(number(line, PublisherCrashWorker.PUBLISHED), Math::max);
          }
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 30) tail.removeFirst();
          }
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
    }

    /** Waits for a line with this prefix and returns its number; fails on FAILED, exit or deadline. */
    long await(String prefix, long deadline) throws InterruptedException {
      while (true) {
        String line = next(deadline, "a line starting with '" + prefix.trim() + "'");
        if (line.startsWith(prefix)) return number(line, prefix);
      }
    }

    /** Waits until the worker reports at least {@code threshold} confirmed ids; returns what it reported. */
    long awaitProgress(long threshold, long deadline) throws InterruptedException {
      while (true) {
        String line = next(deadline, "progress to " + threshold);
        if (line.startsWith(PublisherCrashWorker.DONE)) {
          fail("worker finished before it could be killed at " + threshold + "; output: " + tail());
        }
        if (line.startsWith(PublisherCrashWorker.PUBLISHED)) {
          long reported = number(line, PublisherCrashWorker.PUBLISHED);
          if (reported >= threshold) return reported;
        }
      }
    }

    private String next(long deadline, String waitingFor) throws InterruptedException {
      while (true) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          if (line.startsWith(PublisherCrashWorker.FAILED)) fail("worker failed: " + line + "; output: " + tail());
          return line;
        }
        if (!process.isAlive() && lines.isEmpty()) {
          // The reader may still be handing over the last lines.
          Thread.sleep(200);
          if (lines.isEmpty()) {
            fail("worker exited (" + process.exitValue() + ") while waiting for " + waitingFor + "; output: " + tail());
          }
        }
        if (System.nanoTime() > deadline) fail("timed out waiting for " + waitingFor + "; output: " + tail());
      }
    }

    private static long number(String line, String prefix) {
      return Long.parseLong(line.substring(prefix.length()).trim());
    }

    private List<String> tail() {
      synchronized (tail) {
        return List.copyOf(tail);
      }
    }

    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
