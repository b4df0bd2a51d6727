package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The crash loop: {@code tally serve} in its own JVM consumes 200,000 stream events (1% re-sent
 * duplicates, 0.5% invalid) and is killed with SIGKILL at random moments while it is consuming, at least
 * {@value #KILLS} times, restarting each time; the last run finishes and is stopped with SIGTERM. Then every
 * figure must be exact: rows = unique valid events, dead letters = invalid events, stored offset = the stream's
 * last offset, and the rollups reconcile with no drift. At every kill the offset the broker holds for the consumer
 * must not be ahead of the offset committed in the database (nothing acknowledged that was not committed).
 *
 * <p>Each kill lands mid-consumption: kill k waits until the database offset has reached a random point in the
 * k-th seventh of the stream (and moved past where the previous run left it), then a random
 * 0–{@value #JITTER_MILLIS} ms, and kills only if the offset is still short of the end. The consumer runs with
 * small batches ({@code RABBITMQ_BATCH_SIZE}={@value #BATCH}), so many commits happen in every run. The moments are random and printed with
 * their seed ({@code -Dtally.crash.seed=…} replays the same choices, not the same timing). The children's logs
 * are under {@code target/stream-crash-loop/}.
 */
class StreamCrashLoopIT {
  private static final int EVENTS = 200_000;
  private static final int KILLS = 5;
  private static final int MAX_RUNS = 15;
  private static final int BATCH = 500;
  private static final int JITTER_MILLIS = 300;
  private static final long SEED = Long.getLong("tally.crash.seed", System.currentTimeMillis());
  private static final long PROGRESS_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(2);

  private final List<ServeProcess> children = new ArrayList<>();
  private StreamScenario scenario;
  private Path logs;

  /** One SIGKILL: the database offset just before and after it, and what the broker held for the consumer. */
  record Kill(int run, long dbBefore, long dbAfter, long broker) {}

  @AfterEach
  void tearDown() throws Exception {
    for (ServeProcess child : children) {
      child.close();
    }
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void killNineMidConsumptionLosesAndDuplicatesNothing() throws Exception {
    long started = System.nanoTime();
    scenario = new StreamScenario("crash-loop");
    logs = Path.of("target", "stream-crash-loop", scenario.stream);
    StringWriter migrateErr = new StringWriter();
    assertThat(TallyCli.commandLine(scenario.cliEnv(),
        new PrintWriter(new StringWriter()), new PrintWriter(migrateErr, true)).execute("migrate"))
        .as(migrateErr.toString()).isZero();
    SeedRun seeded = scenario.seed("crash-loop-seed", EVENTS, SEED);
    long last = scenario.lastOffset();
    long seededMillis = millisSince(started);
    System.out.printf("StreamCrashLoopIT seed=%d %s last_offset=%d%n", SEED, seeded.line(), last);

    Random random = new Random(SEED);
    List<Kill> kills = new ArrayList<>();
    long previous = -1;
    int run = 0;
    // KILLS + 2 segments: the last kill's target leaves a seventh of the stream, over a second of work even
    // at several times this machine's speed, so the jitter cannot outlast it.
    long segment = (last + 1) / (KILLS + 2);
    while (kills.size() < KILLS && run < MAX_RUNS) {
      run++;
      ServeProcess child = startServe(run);
      // Kill k lands at a random point of the k-th seventh of the stream, and always after this run's first commit.
      long target = Math.max(previous + 1, (kills.size() + 1) * segment + random.nextInt((int) segment / 2));
      awaitOffset(child, o -> o >= target, "run " + run + " commits up to " + target);
      Thread.sleep(random.nextInt(JITTER_MILLIS + 1));
      long before = scenario.committedOffset();
      if (before >= last) {
        // Finished before the kill could land: not a mid-way kill, and nothing left to interrupt.
        break;
      }
      assertThat(child.isAlive()).as("run %d alive when killed; log: %s", run, child.log).isTrue();
      assertThat(child.kill()).as("exit code after SIGKILL").isEqualTo(137);
      long after = scenario.committedOffset();
      long mirrored = scenario.brokerOffset();
      assertThat(mirrored).as("broker-held offset after kill %d is not ahead of the database's", run)
          .isLessThanOrEqualTo(after);
      if (after >= last) {
        // Committed the end just before the kill: the next run would wait for an offset that never comes.
        break;
      }
      kills.add(new Kill(run, before, after, mirrored));
      previous = after;
    }
    long killsMillis = millisSince(started);

    ServeProcess finisher = children.get(children.size() - 1).isAlive() ? children.get(children.size() - 1)
        : startServe(run + 1);
    awaitOffset(finisher, o -> o >= last, "the last run commits up to " + last);
    int exit = finisher.stop();
    long finalBroker = scenario.brokerOffsetOnceAt(last);
    System.out.printf("StreamCrashLoopIT seed=%d runs=%d kills=%s final_exit=%d broker_offset=%d "
            + "seed_ms=%d until_last_kill_ms=%d total_ms=%d%n", SEED, run + 1, kills, exit, finalBroker,
        seededMillis, killsMillis, millisSince(started));

    assertThat(kills).as("kills that landed mid-consumption (seed %d)", SEED).hasSizeGreaterThanOrEqualTo(KILLS);
    // SIGTERM drains: the shutdown hook closes the consumer, which mirrors its last committed offset.
    assertThat(finalBroker).as("broker-held offset after the graceful stop").isEqualTo(last);
    scenario.assertIngestedExactlyOnce(seeded, last);
  }

  private ServeProcess startServe(int run) throws Exception {
    Map<String, String> env = new HashMap<>(scenario.consumerEnv(BATCH));
    env.put("DATABASE_URL", scenario.database.url());
    env.put("HTTP_PORT", "0");
    env.put("DATA_DIR", logs.resolve("data").toString());
    // Rollups run (and get killed) between batches too.
    env.put("ROLLUP_INTERVAL", "1s");
    ServeProcess child = ServeProcess.start(env, logs.resolve("run-" + run + ".log"));
    children.add(child);
    return child;
  }

  private void awaitOffset(ServeProcess child, LongPredicate reached, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROGRESS_TIMEOUT_MILLIS);
    while (!reached.test(scenario.committedOffset())) {
      if (!child.isAlive()) {
        fail("serve exited while waiting until " + what + "; log " + child.log + ":\n" + child.tail());
      }
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what + " (offset " + scenario.committedOffset() + "); log " + child.log + ":\n"
            + child.tail());
      }
      Thread.sleep(20);
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
