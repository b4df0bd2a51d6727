package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Environment;
import io.tally.analytics.ports.Tally;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The golden file through the stream with the consumer stopped three times on the way, over one in-memory
 * store (the "database" survives, the consumers do not):
 * <ol>
 *   <li>a crash right after a commit (its connection is dropped, the consumer abandoned, never closed);</li>
 *   <li>a commit whose acknowledgement is lost (the consumer retries the committed batch), then a graceful
 *       {@code close()} mid-stream;</li>
 *   <li>a crash just before a commit (the batch in hand and everything buffered are lost);</li>
 *   <li>a last consumer that runs to the end.</li>
 * </ol>
 * Every number must still be exact: rows = unique valid events, dead letters = invalid events, nothing
 * counted twice, and the committed offset is the stream's last offset.
 */
class GoldenStreamRestartIT {
  private static final Duration LONG = Duration.ofSeconds(120);

  private Environment env;
  private GoldenStream golden;
  private final List<IngestingBatchSink> sinks = new ArrayList<>();
  private final List<StreamUsageConsumer> abandoned = new ArrayList<>();

  /** @return where the consumer stores; the PostgreSQL subclass runs the same test end to end */
  Tally.Stores stores() {
    return Tally.Stores.inMemory();
  }

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    env = LocalBroker.environment();
    golden = new GoldenStream(LocalBroker.uniqueStream("golden-restart"), stores());
  }

  @AfterEach
  void tearDown() {
    // The crashed consumers' threads are still retrying into their dead sinks; end them now.
    abandoned.forEach(StreamUsageConsumer::close);
    if (env != null) {
      LocalBroker.deleteQuietly(env, golden.stream);
      env.close();
    }
  }

  private IngestingBatchSink freshSink() {
    IngestingBatchSink sink = golden.newSink();
    sinks.add(sink);
    return sink;
  }

  private StreamUsageConsumer.Builder consumer(StreamBatchSink sink) {
    return StreamUsageConsumer.builder(golden.settings(), golden.offsets(), sink)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .shutdownTimeout(Duration.ofSeconds(2));
  }

  /** Runs a consumer on its own connection until its sink dies, then drops the connection as a kill would. */
  private long crash(DyingSink.When when, int atCall) throws InterruptedException {
    Environment own = LocalBroker.environment();
    DyingSink sink = new DyingSink(freshSink(), atCall, when);
    // A long back-off keeps the dead consumer's retries (it still runs until tearDown) out of the log.
    StreamUsageConsumer c = consumer(sink).environment(own).retryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .start();
    abandoned.add(c);
    assertThat(sink.died.await(LONG.toSeconds(), TimeUnit.SECONDS)).as("sink reached call %d", atCall).isTrue();
    own.close();
    return golden.committed();
  }

  @Test
  void crashesAndRestartsMidStreamLoseAndDuplicateNothing() throws Exception {
    long last = golden.publishAll(env);
    long expectedInvalid = golden.golden.expected().invalid();

    long afterFirstCrash = crash(DyingSink.When.AFTER_COMMIT, 15);
    assertThat(afterFirstCrash).isBetween(1_000L, last - 1);

    IngestingBatchSink second = freshSink();
    LostAcknowledgementSink lostAck = new LostAcknowledgementSink(second, 5);
    // Throttled so the close lands well inside the stream even on a fast machine: the poll below may see
    // the target late, and the close also drains up to 3,000 buffered messages.
    StreamBatchSink throttled = batch -> {
      Thread.sleep(50);
      lostAck.accept(batch);
    };
    StreamUsageConsumer graceful = consumer(throttled).start();
    LocalBroker.await(LONG, () -> golden.committed() >= afterFirstCrash + 10_000);
    graceful.close();
    long afterClose = golden.committed();
    assertThat(graceful.lastCommittedOffset()).hasValue(afterClose);
    assertThat(graceful.status().sinkFailures()).isEqualTo(1);
    assertThat(afterClose).isBetween(afterFirstCrash + 10_000, last - 1);

    // Call 3: the graceful close drained up to maxBufferedMessages (3,000) more; keep well inside the stream.
    long afterSecondCrash = crash(DyingSink.When.BEFORE_COMMIT, 3);
    assertThat(afterSecondCrash).isBetween(afterClose + 1, last - 1);

    IngestingBatchSink last4 = freshSink();
    try (StreamUsageConsumer c = consumer(last4).start()) {
      LocalBroker.await(LONG, () -> golden.committed() >= last
          // The consumer learns of the commit when the sink returns, a moment after the store has it.
          && c.lastCommittedOffset().equals(OptionalLong.of(last)));
      assertThat(c.lastCommittedOffset()).hasValue(last);
    }

    IngestTotals total = sinks.stream().map(IngestingBatchSink::totals).reduce(IngestTotals::plus).orElseThrow();
    System.out.printf("golden restart: committed %d -> %d -> %d -> %d; %s%n", afterFirstCrash, afterClose,
        afterSecondCrash, last, total);
    assertThat(golden.committed()).isEqualTo(last);
    golden.golden.verifyCounts(GoldenStream.counts(total));
    assertThat(golden.stores.deadLetters().count()).isEqualTo(expectedInvalid).isEqualTo(300);
    assertThat(golden.storedEvents()).isEqualTo(golden.golden.expected().uniqueValid()).isEqualTo(30_000);
    golden.rollUpAndVerify();
    assertThat(second.totals().redelivered()).as("the retried batch was recognised").isEqualTo(lostAck.lostBatchSize);
  }

  /** A process that dies at one sink call: before or after that call's commit, and never commits again. */
  static final class DyingSink implements StreamBatchSink {
    enum When { BEFORE_COMMIT, AFTER_COMMIT }

    private final StreamBatchSink inner;
    private final int dieAtCall;
    private final When when;
    private int calls;
    private volatile boolean dead;
    final CountDownLatch died = new CountDownLatch(1);

    DyingSink(StreamBatchSink inner, int dieAtCall, When when) {
      this.inner = inner;
      this.dieAtCall = dieAtCall;
      this.when = when;
    }

    @Override
    public void accept(StreamBatch batch) throws Exception {
      if (dead) throw new IllegalStateException("the process is dead");
      if (++calls == dieAtCall) {
        if (when == When.AFTER_COMMIT) inner.accept(batch);
        dead = true;
        died.countDown();
        throw new IllegalStateException("killed " + when + " of batch " + batch.firstOffset() + ".." + batch.lastOffset());
      }
      inner.accept(batch);
    }
  }

  /** Commits one batch but reports a failure, as when the database commits and the connection drops before the reply. */
  static final class LostAcknowledgementSink implements StreamBatchSink {
    private final StreamBatchSink inner;
    private final int atCall;
    private int calls;
    volatile int lostBatchSize;

    LostAcknowledgementSink(StreamBatchSink inner, int atCall) {
      this.inner = inner;
      this.atCall = atCall;
    }

    @Override
    public void accept(StreamBatch batch) throws Exception {
      inner.accept(batch);
      if (++calls == atCall) {
        lostBatchSize = batch.size();
        throw new IllegalStateException("connection lost before the commit was acknowledged");
      }
    }
  }
}
