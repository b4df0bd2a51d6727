package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Environment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restarts the local broker's application (rabbitmqctl stop_app / start_app) in the middle of consumption. The
 * broker is shared by every test on the machine: whatever happens in the test, the tear-down starts it again and
 * fails the test unless it answers on the stream port and serves a client again.
 */
class StreamBrokerRestartIT {
  private String stream;
  private final RestartLedger ledger = newLedger();
  private volatile boolean brokerStopped;

  /** @return the consumer's sink and offsets; the PostgreSQL subclass stores for real */
  RestartLedger newLedger() {
    return new InMemoryLedger();
  }

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    stream = LocalBroker.uniqueStream("restart");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (brokerStopped) {
      rabbitmqctl("start_app");
      brokerStopped = false;
    }
    assertThat(awaitPort(Duration.ofSeconds(60))).as("the shared broker answers on 5552 again").isTrue();
    try (Environment env = LocalBroker.environment()) {
      LocalBroker.deleteQuietly(env, stream);
      assertThat(servesStreams(env, Duration.ofSeconds(60))).as("the shared broker creates streams again").isTrue();
    }
  }

  /** Right after start_app a new stream can be refused for a moment; a broker that is back accepts one. */
  private static boolean servesStreams(Environment env, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String probe = LocalBroker.uniqueStream("restart-probe");
    while (true) {
      try {
        env.streamCreator().stream(probe).create();
        env.deleteStream(probe);
        return true;
      } catch (RuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(500);
      }
    }
  }

  @Test
  void consumerResumesAfterABrokerRestartWithoutLossOrDuplicates() throws Exception {
    publish(1, 10_000);
    ledger.slow(5);
    StreamSettings s = LocalBroker.settings(stream).consumerName("ingest").batchSize(200)
        .maxWait(Duration.ofMillis(50)).maxBufferedMessages(1_000).build();
    Set<ConsumerState> seen = Collections.synchronizedSet(EnumSet.noneOf(ConsumerState.class));
    int rowsWhenStopped;
    try (StreamUsageConsumer c = StreamUsageConsumer.builder(s, ledger, ledger)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500)).monitorInterval(Duration.ofMillis(300)).start()) {
      LocalBroker.await(Duration.ofSeconds(60), () -> ledger.rowCount() >= 2_000);
      // Sampled for the whole outage and recovery, not a fixed window: on a loaded machine noticing the
      // closed port can take longer than stop_app itself.
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          seen.add(c.state());
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "state-sampler");
      sampler.start();
      // The sink is held from here until the broker is back, so the broker goes away in the middle of
      // consumption (with messages buffered and a batch in hand) whatever stop_app takes: it took about 20 s
      // once on a loaded machine, longer than a throttled sink needed to finish the stream.
      ledger.block();
      brokerStopped = true;
      rabbitmqctl("stop_app");
      rowsWhenStopped = ledger.rowCount();
      Thread.sleep(3_000);
      rabbitmqctl("start_app");
      brokerStopped = false;
      assertThat(awaitPort(Duration.ofSeconds(60))).as("broker back after start_app").isTrue();
      ledger.unblock();
      ledger.slow(0);
      publish(10_001, 15_000);
      LocalBroker.await(Duration.ofSeconds(120), () -> ledger.rowCount() >= 15_000);
      sampler.interrupt();
      sampler.join();
      LocalBroker.await(Duration.ofSeconds(10), () -> c.state() == ConsumerState.RUNNING);
      assertThat(c.state()).isEqualTo(ConsumerState.RUNNING);
      assertThat(c.status().subscriptions()).isGreaterThanOrEqualTo(2);
    }
    assertThat(ledger.rowCount()).isEqualTo(15_000);
    assertThat(ledger.duplicates()).isZero();
    assertThat(ledger.overlappingBatches()).isZero();
    assertThat(seen).contains(ConsumerState.RECONNECTING);
    assertThat(rowsWhenStopped).as("rows committed when the broker stopped").isLessThan(10_000);
  }

  private void publish(int from, int to) throws InterruptedException {
    try (UsageEventPublisher p = openPublisher()) {
      for (int i = from; i <= to; i++) p.publish(i, LocalBroker.event(i).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Right after start_app the stream exists but is not available for a moment: what a real service retries. */
  private UsageEventPublisher openPublisher() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return UsageEventPublisher.builder(LocalBroker.settings(stream).build()).producerName("it").maxInFlight(2_000).open();
      } catch (StreamUnreachableException e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(500);
      }
    }
  }

  private static void rabbitmqctl(String command) throws Exception {
    Process p = new ProcessBuilder("rabbitmqctl", "-q", command).inheritIO().start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("rabbitmqctl " + command + " finished").isTrue();
    assertThat(p.exitValue()).as("rabbitmqctl " + command + " exit code").isZero();
  }

  /** @return true once the stream port accepts connections, false when it did not within the timeout */
  private static boolean awaitPort(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", 5552), 500);
        return true;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    return false;
  }
}
