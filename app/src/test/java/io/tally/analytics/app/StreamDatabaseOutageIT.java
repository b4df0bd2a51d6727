package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

/**
 * The "database down mid-consumption" fault test, with the real server in-process over its own database
 * on the shared PostgreSQL. The outage is of that database only: {@code ALLOW_CONNECTIONS false} and every session
 * on it terminated (the server and other databases keep running), for several seconds while more events arrive on
 * the stream; then connections are allowed again.
 *
 * <p>Asserted: the consumer was seen {@code PAUSED} while the database was down (sampled in a background thread
 * for the whole outage and recovery, not in a fixed window); at no sample did the broker hold an offset for the
 * consumer beyond the one committed in the database (read through an observer session the outage spares); the
 * pool recovers and the consumer catches up; then every figure is exact, as after a crash.
 */
class StreamDatabaseOutageIT {
  private static final int EVENTS_BEFORE = 25_000;
  private static final int EVENTS_DURING = 20_000;
  private static final Duration MIN_OUTAGE = Duration.ofSeconds(6);
  private static final Duration MAX_OUTAGE = Duration.ofSeconds(90);
  private static final Duration CATCH_UP = Duration.ofMinutes(3);

  private StreamScenario scenario;
  private RunningTally tally;
  private Thread sampler;
  private final AtomicBoolean sampling = new AtomicBoolean(true);

  @AfterEach
  void tearDown() throws Exception {
    if (scenario != null) {
      // Whatever happened, the database takes connections again before anything else is closed or dropped.
      scenario.database.allowConnections(true, -1);
    }
    if (sampler != null) {
      sampling.set(false);
      sampler.join(5_000);
    }
    if (tally != null) {
      tally.close();
    }
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void consumptionPausesWhileTheDatabaseIsDownAndCatchesUpExactly() throws Exception {
    long started = System.nanoTime();
    scenario = new StreamScenario("db-outage");
    FreshDatabase database = scenario.database;
    SeedRun before = scenario.seed("outage-before", EVENTS_BEFORE, 1);
    long lastBeforeOutage = scenario.lastOffset();
    // Small batches: consumption is still under way when the database goes.
    Map<String, String> env = new HashMap<>(scenario.consumerEnv(100));
    env.put("ROLLUP_INTERVAL", "500ms");
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-db-outage-"), env);
    StreamUsageConsumer consumer = tally.app.stream().orElseThrow();
    await(Duration.ofMinutes(2), () -> scenario.committedOffset() >= 2_000);

    Set<ConsumerState> seen = Collections.synchronizedSet(EnumSet.noneOf(ConsumerState.class));
    Set<ConsumerState> seenWhileDown = Collections.synchronizedSet(EnumSet.noneOf(ConsumerState.class));
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicBoolean down = new AtomicBoolean();
    AtomicLong samples = new AtomicLong();
    long offsetAtOutage;
    long outageMillis;
    SeedRun during;
    try (Connection observer = database.connect()) {
      int observerPid = observer.unwrap(PGConnection.class).getBackendPID();
      sampler = new Thread(() -> sample(consumer, observer, down, seen, seenWhileDown, violations, samples),
          "outage-sampler");
      sampler.setDaemon(true);
      sampler.start();

      offsetAtOutage = FreshDatabase.storedOffset(observer, scenario.stream, scenario.consumer);
      long outageStart = System.nanoTime();
      down.set(true);
      database.allowConnections(false, observerPid);
      try {
        during = scenario.seed("outage-during", EVENTS_DURING, 2);
        long minimum = outageStart + MIN_OUTAGE.toNanos();
        long deadline = outageStart + MAX_OUTAGE.toNanos();
        // Down for a few seconds at least, and until the consumer has noticed (the pool may wait its
        // connection timeout first), within a bound.
        while ((System.nanoTime() < minimum || !seenWhileDown.contains(ConsumerState.PAUSED))
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        database.allowConnections(true, -1);
        down.set(false);
      }
      outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart);

      long last = scenario.lastOffset();
      await(CATCH_UP, () -> scenario.committedOffset() >= last);
      await(Duration.ofSeconds(60), () -> consumer.state() == ConsumerState.RUNNING);
      await(Duration.ofSeconds(60), () -> tally.get("/analytics/v1/status/readyz", Map.of()).statusCode() == 200);
      sampling.set(false);
      sampler.join(10_000);
      int readyz = tally.get("/analytics/v1/status/readyz", Map.of()).statusCode();
      ConsumerState after = consumer.state();
      tally.close();
      SeedRun seeded = before.plus(during);
      System.out.printf("StreamDatabaseOutageIT %s last_offset=%d last_before_outage=%d offset_at_outage=%d "
              + "outage_ms=%d samples=%d states=%s states_while_down=%s sink_failures=%d total_ms=%d%n",
          seeded.line(), last, lastBeforeOutage, offsetAtOutage, outageMillis, samples.get(), seen, seenWhileDown, consumer.status().sinkFailures(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

      assertThat(offsetAtOutage).as("the outage began mid-consumption").isLessThan(lastBeforeOutage);
      assertThat(seenWhileDown).as("consumer states seen while the database was down").contains(ConsumerState.PAUSED);
      assertThat(violations).as("samples where the broker held an offset beyond the database's, or could not compare").isEmpty();
      assertThat(readyz).as("readyz once the pool has recovered").isEqualTo(200);
      assertThat(after).isEqualTo(ConsumerState.RUNNING);
      scenario.assertIngestedExactlyOnce(seeded, last);
    }
  }

  /**
   * Until {@link #sampling} ends: records the consumer's state, and compares the broker-held offset with the database's,
   * read in that order, so a broker offset ahead of the database is a real violation, not a race of the two reads.
   */
  private void sample(StreamUsageConsumer consumer, Connection observer, AtomicBoolean down,
      Set<ConsumerState> seen, Set<ConsumerState> seenWhileDown, List<String> violations, AtomicLong samples) {
    while (sampling.get()) {
      ConsumerState state = consumer.state();
      seen.add(state);
      if (down.get()) {
        seenWhileDown.add(state);
      }
      try {
        long held = scenario.brokerOffset();
        long committed = FreshDatabase.storedOffset(observer, scenario.stream, scenario.consumer);
        if (held > committed) {
          violations.add("broker " + held + " > database " + committed + (down.get() ? " (down)" : ""));
        }
        samples.incrementAndGet();
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        violations.add("sample failed: " + e);
        return;
      }
    }
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
