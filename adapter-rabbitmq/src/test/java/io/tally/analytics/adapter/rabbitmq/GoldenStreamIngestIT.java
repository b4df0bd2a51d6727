package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Environment;
import io.tally.analytics.ports.Tally;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DESIGN.md §5 through the stream: publisher → broker → consumer → ingest use case → rollups, all numbers exact. */
class GoldenStreamIngestIT {
  private Environment env;
  private GoldenStream golden;

  /** @return where the consumer stores; the PostgreSQL subclass runs the same test end to end */
  Tally.Stores stores() {
    return Tally.Stores.inMemory();
  }

  @BeforeEach
  void setUp() {
    LocalBroker.require();
    env = LocalBroker.environment();
    golden = new GoldenStream(LocalBroker.uniqueStream("golden"), stores());
  }

  @AfterEach
  void tearDown() {
    if (env != null) {
      LocalBroker.deleteQuietly(env, golden.stream);
      env.close();
    }
  }

  @Test
  void theGoldenFileThroughTheStreamGivesTheExpectedNumbers() throws Exception {
    long last = golden.publishAll(env);
    IngestingBatchSink sink = golden.newSink();

    long t0 = System.nanoTime();
    try (StreamUsageConsumer consumer = StreamUsageConsumer.builder(golden.settings(), golden.offsets(), sink)
        .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).start()) {
      LocalBroker.await(Duration.ofSeconds(120), () -> golden.committed() >= last
          // The consumer learns of the commit when the sink returns, a moment after the store has it.
          && consumer.lastCommittedOffset().equals(OptionalLong.of(last)));
      assertThat(consumer.lastCommittedOffset()).hasValue(last);
      assertThat(consumer.state()).isEqualTo(ConsumerState.RUNNING);
    }
    System.out.printf("golden via stream: %d messages in %d ms, %s%n", golden.golden.rawLines().size(),
        (System.nanoTime() - t0) / 1_000_000, sink.totals());

    assertThat(golden.committed()).isEqualTo(last);
    golden.golden.verifyCounts(GoldenStream.counts(sink.totals()));
    assertThat(sink.totals().unreadable()).isZero();
    assertThat(sink.totals().redelivered()).isZero();
    assertThat(golden.stores.deadLetters().count()).isEqualTo(golden.golden.expected().invalid());
    assertThat(golden.stores.deadLetters().latest(1_000)).allSatisfy(l -> {
      assertThat(l.source().position()).isPresent();
      assertThat(l.source().position().get().stream()).isEqualTo(golden.stream);
      assertThat(l.batchId()).startsWith("stream:" + golden.stream + "/" + GoldenStream.CONSUMER + "/");
      assertThat(golden.golden.rawLines()).contains(l.payload());
    });
    assertThat(golden.storedEvents()).isEqualTo(golden.golden.expected().uniqueValid());
    golden.rollUpAndVerify();
  }
}
