package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import com.rabbitmq.stream.Producer;
import io.tally.analytics.core.usage.StreamLeaseLostException;
import io.tally.analytics.core.usage.StreamLeaseToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamUsageConsumerIT {
  private static final Duration LONG = Duration.ofSeconds(60);

  private Environment env;
  private String stream;
  private final InMemoryLedger ledger = new InMemoryLedger();

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    env = LocalBroker.environment();
    stream = LocalBroker.uniqueStream("consume");
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      LocalBroker.deleteQuietly(env, stream);
      env.close();
    }
  }

  private void publish(int from, int to) {
    try (UsageEventPublisher p = UsageEventPublisher.builder(LocalBroker.settings(stream).build())
        .producerName("it").maxInFlight(2_000).open()) {
      for (int i = from; i <= to; i++) p.publish(i, LocalBroker.event(i).getBytes(StandardCharsets.UTF_8));
    }
  }

  private StreamUsageConsumer.Builder consumer(StreamSettings settings) {
    return StreamUsageConsumer.builder(settings, ledger, ledger)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .monitorInterval(Duration.ofMillis(300));
  }

  private StreamSettings.Builder settings() {
    return LocalBroker.settings(stream).consumerName("ingest").batchSize(500).maxWait(Duration.ofMillis(50));
  }

  @Test
  void resumesAfterTheCommittedOffsetWithoutLossOrDuplicates() throws Exception {
    publish(1, 20_000);
    // The first consumer must stop part-way. Unthrottled, a fast machine commits all 20,000 between the poll
    // that sees 7,000 and close(), which also commits whatever is buffered. A 50 ms sink (at most 10,000
    // rows/s) and a 1,000-message buffer leave over a second of margin; a stalled poll only adds rows.
    ledger.slow(50);
    StreamUsageConsumer first = consumer(settings().maxBufferedMessages(1_000).build()).start();
    LocalBroker.await(LONG, () -> ledger.rowCount() >= 7_000);
    first.close();
    ledger.slow(0);
    assertThat(first.state()).isEqualTo(ConsumerState.STOPPED);
    int afterFirst = ledger.rowCount();
    assertThat(afterFirst).isBetween(7_000, 19_999);
    assertThat(first.lastCommittedOffset()).hasValue(afterFirst - 1L);
    assertThat(storedOnBroker("ingest", afterFirst - 1L)).isEqualTo(afterFirst - 1L);

    publish(20_001, 30_000);
    try (StreamUsageConsumer second = consumer(settings().build()).start()) {
      LocalBroker.await(LONG, () -> ledger.rowCount() >= 30_000);
      LocalBroker.await(Duration.ofSeconds(5), () -> second.lag().equals(OptionalLong.of(0)));
      // Offsets are not message counts: the broker's offset-tracking entries take offsets in the log too.
      long last = new StreamTailProbe(env, stream, Duration.ofSeconds(2)).settledLastOffset(10).orElseThrow();
      assertThat(last).isGreaterThanOrEqualTo(29_999);
      assertThat(second.lastCommittedOffset()).hasValue(last);
      assertThat(second.lag()).hasValue(0);
      assertThat(second.state()).isEqualTo(ConsumerState.RUNNING);
    }
    assertThat(ledger.rowCount()).isEqualTo(30_000);
    assertThat(ledger.duplicates()).isZero();
    assertThat(ledger.overlappingBatches()).isZero();
    assertThat(IntStream.rangeClosed(1, 30_000).allMatch(i -> ledger.hasRow("e-" + i))).isTrue();
    long end = new StreamTailProbe(env, stream, Duration.ofSeconds(2)).settledLastOffset(10).orElseThrow();
    assertThat(storedOnBroker("ingest", end)).isEqualTo(end);
  }

  @Test
  void failingSinkPausesConsumptionThenCatchesUpExactly() throws Exception {
    publish(1, 5_000);
    ledger.down(true);
    StreamSettings s = settings().maxBufferedMessages(1_000).initialCredits(2).build();
    try (StreamUsageConsumer c = consumer(s).start()) {
      // The offset read fails too while the database is down: the consumer waits instead of guessing.
      LocalBroker.await(Duration.ofSeconds(2), () -> false);
      assertThat(c.state()).isEqualTo(ConsumerState.PAUSED);
      assertThat(ledger.rowCount()).isZero();
      // Lag needs the tail probe's first run, which a cold or loaded JVM can take longer than 2 s to finish.
      LocalBroker.await(LONG, () -> c.lag().equals(OptionalLong.of(5_000)));
      assertThat(c.lag()).hasValue(5_000);
      ledger.down(false);
      LocalBroker.await(LONG, () -> ledger.rowCount() >= 2_000);

      ledger.down(true);
      // On a fast run the first 5,000 may all be committed before the sink went down: publish more so the
      // second outage always has messages to fail on.
      publish(5_001, 6_000);
      LocalBroker.await(Duration.ofSeconds(30), () -> c.state() == ConsumerState.PAUSED);
      assertThat(c.state()).isEqualTo(ConsumerState.PAUSED);
      int frozen = ledger.rowCount();
      long failures = c.status().sinkFailures();
      assertThat(failures).isPositive();
      assertThat(c.bufferedMessages()).isLessThanOrEqualTo(1_000);
      LocalBroker.await(Duration.ofMillis(500), () -> false);
      assertThat(ledger.rowCount()).isEqualTo(frozen);
      LocalBroker.await(Duration.ofSeconds(10), () -> c.status().sinkFailures() > failures);
      assertThat(c.status().sinkFailures()).isGreaterThan(failures);

      ledger.down(false);
      LocalBroker.await(LONG, () -> ledger.rowCount() >= 6_000);
      LocalBroker.await(Duration.ofSeconds(5), () -> c.state() == ConsumerState.RUNNING && c.lag().equals(OptionalLong.of(0)));
      assertThat(c.state()).isEqualTo(ConsumerState.RUNNING);
      assertThat(c.lag()).hasValue(0);
    }
    assertThat(ledger.rowCount()).isEqualTo(6_000);
    assertThat(ledger.duplicates()).isZero();
    assertThat(ledger.overlappingBatches()).isZero();
  }

  @Test
  void aBatchRefusedForALostLeaseStopsTheConsumerInsteadOfRetrying() throws Exception {
    publish(1, 2_000);
    AtomicInteger attempts = new AtomicInteger();
    StreamLeaseToken stale = new StreamLeaseToken(stream, "ingest", "a", 1);
    // Wrapped, as the tracing and metrics decorators round a real commit may hand it on.
    StreamBatchSink fenced = batch -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("commit failed", new StreamLeaseLostException(stale, "b (epoch 2)"));
    };
    try (StreamUsageConsumer c = StreamUsageConsumer.builder(settings().build(), ledger, fenced)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).monitorInterval(Duration.ofMillis(300))
        .start()) {
      LocalBroker.await(LONG, () -> attempts.get() > 0);
      LocalBroker.await(Duration.ofSeconds(10), () -> c.state() == ConsumerState.STOPPED);
      assertThat(c.state()).isEqualTo(ConsumerState.STOPPED);
      // A database outage would be retried every 20..200 ms: a lost lease is tried once.
      LocalBroker.await(Duration.ofSeconds(1), () -> false);
      assertThat(attempts).hasValue(1);
      assertThat(c.status().sinkFailures()).isEqualTo(1);
      assertThat(c.lastCommittedOffset()).isEmpty();
    }
    assertThat(ledger.rowCount()).isZero();
  }

  @Test
  void slowSinkHoldsBackDeliveryWithinTheBufferBound() throws Exception {
    int total = 30_000;
    publish(1, total);
    int bound = 400;
    StreamSettings s = settings().batchSize(100).maxBufferedMessages(bound).initialCredits(10).build();
    CountDownLatch blocked = ledger.block();
    try (StreamUsageConsumer c = consumer(s).start()) {
      // Sink stuck: whatever the broker could send, at most `bound` messages are held in memory.
      LocalBroker.await(LONG, () -> c.bufferedMessages() > 0);
      LocalBroker.await(Duration.ofSeconds(2), () -> false);
      assertThat(c.bufferedMessages()).isPositive().isLessThanOrEqualTo(bound);
      assertThat(ledger.deliveries()).isZero();
      ledger.unblock();
      ledger.slow(2);
      int maxSeen = 0;
      long deadline = System.nanoTime() + LONG.toNanos();
      while (ledger.rowCount() < total && System.nanoTime() < deadline) {
        maxSeen = Math.max(maxSeen, c.bufferedMessages());
        Thread.sleep(5);
      }
      assertThat(maxSeen).isLessThanOrEqualTo(bound);
      assertThat(c.maxBufferedObserved()).isLessThanOrEqualTo(bound);
    }
    assertThat(blocked.getCount()).isZero();
    assertThat(ledger.rowCount()).isEqualTo(total);
    assertThat(ledger.duplicates()).isZero();
  }

  @Test
  void poisonMessagesPassThroughToTheSinkAndDoNotStallTheStream() throws Exception {
    publish(1, 10);
    Producer raw = env.producerBuilder().stream(stream).build();
    CountDownLatch confirmed = new CountDownLatch(2);
    raw.send(raw.messageBuilder().properties().contentType("text/plain").messageBuilder()
        .addData("not json".getBytes(StandardCharsets.UTF_8)).build(), st -> confirmed.countDown());
    raw.send(raw.messageBuilder().addData("{\"eventId\":".getBytes(StandardCharsets.UTF_8)).build(), st -> confirmed.countDown());
    assertThat(confirmed.await(10, TimeUnit.SECONDS)).isTrue();
    raw.close();
    try (UsageEventPublisher p = UsageEventPublisher.builder(LocalBroker.settings(stream).build()).producerName("after").open()) {
      for (int i = 11; i <= 20; i++) p.publish(LocalBroker.event(i));
    }
    try (StreamUsageConsumer c = consumer(settings().build()).start()) {
      LocalBroker.await(LONG, () -> ledger.rowCount() >= 20);
      LocalBroker.await(Duration.ofSeconds(5), () -> c.lastCommittedOffset().equals(OptionalLong.of(21)));
      assertThat(c.lastCommittedOffset()).hasValue(21);
    }
    assertThat(ledger.rowCount()).isEqualTo(20);
    assertThat(ledger.deadLetters()).isEqualTo(2);
  }

  @Test
  void gracefulCloseCommitsWhatIsBufferedAndStoresTheOffset() throws Exception {
    publish(1, 3_000);
    CountDownLatch blocked = ledger.block();
    StreamUsageConsumer c = consumer(settings().batchSize(1_000).maxWait(Duration.ofSeconds(5)).build()).start();
    LocalBroker.await(Duration.ofSeconds(10), () -> c.bufferedMessages() > 0);
    int buffered = c.bufferedMessages();
    assertThat(buffered).isPositive();
    Thread closer = new Thread(c::close);
    closer.start();
    Thread.sleep(200);
    ledger.unblock();
    closer.join(30_000);
    assertThat(c.state()).isEqualTo(ConsumerState.STOPPED);
    assertThat(blocked.getCount()).isZero();
    assertThat(ledger.rowCount()).isGreaterThanOrEqualTo(buffered);
    assertThat(c.lastCommittedOffset()).hasValue(ledger.rowCount() - 1L);
    assertThat(storedOnBroker("ingest", ledger.rowCount() - 1L)).isEqualTo(ledger.rowCount() - 1L);
  }

  /**
   * The consumer's offset in the broker's store once it equals {@code expected}, or whatever it holds after 10 s.
   * The consumer's last store on close is not confirmed, so a loaded broker may still answer with the one before.
   */
  private long storedOnBroker(String consumerName, long expected) throws InterruptedException {
    Consumer q = env.consumerBuilder().stream(stream).name(consumerName)
        .manualTrackingStrategy().checkInterval(Duration.ZERO).builder()
        .offset(OffsetSpecification.next()).messageHandler((ctx, m) -> {}).build();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try {
          long stored = q.storedOffset();
          if (stored == expected || System.nanoTime() > deadline) return stored;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) throw e;
        }
        Thread.sleep(100);
      }
    } finally {
      q.close();
    }
  }
}
