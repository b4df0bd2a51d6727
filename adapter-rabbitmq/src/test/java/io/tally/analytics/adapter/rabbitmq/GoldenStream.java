package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.stream.Environment;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.QueryReliability.PercentileMethod;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The golden file on its way through the stream: published in order to a fresh stream, consumed into the
 * in-memory usage module through {@link IngestingBatchSink}, then checked against expected.json.
 */
final class GoldenStream {
  static final String CONSUMER = "golden-ingest";

  final GoldenDataset golden = GoldenDataset.load();
  final MutableTimeSource clock = new MutableTimeSource(GoldenDataset.INGEST_CLOCK);
  final Actor system = Actors.system();
  final String stream;
  final Tally.Stores stores;
  final Tally tally;

  /**
   * @param stream the stream to publish to and consume
   * @param stores where the consumer's ingest path stores (in memory, or PostgreSQL end to end)
   */
  GoldenStream(String stream, Tally.Stores stores) {
    this.stream = stream;
    this.stores = stores;
    this.tally = Tally.over(stores, clock);
  }

  /** @return the stream's last offset once every line is confirmed */
  long publishAll(Environment env) throws InterruptedException {
    List<String> lines = golden.rawLines();
    try (UsageEventPublisher p = UsageEventPublisher.builder(LocalBroker.settings(stream).build())
        .producerName("golden-source").maxInFlight(5_000).open()) {
      for (int i = 0; i < lines.size(); i++) p.publish(i + 1L, lines.get(i).getBytes(StandardCharsets.UTF_8));
      p.flush(Duration.ofSeconds(60));
    }
    List<LocalBroker.Read> read = LocalBroker.readAll(env, stream, lines.size());
    assertThat(read).hasSize(lines.size());
    long last = read.stream().mapToLong(LocalBroker.Read::offset).max().orElseThrow();
    // The consumer's lag comes from this probe; it must see the true end of a stream with large chunks.
    assertThat(new StreamTailProbe(env, stream, Duration.ofSeconds(5)).settledLastOffset(10)).hasValue(last);
    return last;
  }

  StreamSettings settings() {
    // A small buffer bounds how far a graceful close drains, so the restart test still has stream left to crash in.
    return LocalBroker.settings(stream).consumerName(CONSUMER).batchSize(500).maxWait(Duration.ofMillis(50))
        .maxBufferedMessages(3_000).build();
  }

  IngestingBatchSink newSink() {
    return new IngestingBatchSink(tally.ingest(), offsets(), clock, system);
  }

  StoreOffsetSource offsets() {
    return new StoreOffsetSource(stores.events());
  }

  long committed() {
    return stores.events().committedOffset(stream, CONSUMER).orElse(-1L);
  }

  long storedEvents() {
    GoldenDataset.Expected e = golden.expected();
    long n = 0;
    for (UUID org : e.orgs()) n += stores.events().count(new EventRange(org, e.start(), e.end(), Optional.empty()));
    return n;
  }

  static GoldenDataset.IngestCounts counts(IngestTotals t) {
    return new GoldenDataset.IngestCounts(t.accepted(), t.duplicates(), t.conflicts(), t.deadLettered());
  }

  /** Rolls up, then asserts every number of expected.json and zero drift between rollups and raw events. */
  void rollUpAndVerify() {
    tally.rollup().run(new RunRollupCommand(system, 500, 1_000));
    assertThat(stores.rollups().dirtyBucketCount()).isZero();
    golden.verifyUsage(tally.usage(), system);
    golden.verifyReliability(tally.reliability(), system, PercentileMethod.SKETCH);
    golden.verifyReliability(tally.reliability(), system, PercentileMethod.EXACT);
    TimeWindow window = new TimeWindow(golden.expected().start(), golden.expected().end());
    for (UUID org : golden.expected().orgs()) {
      for (Granularity g : Granularity.values()) {
        assertThat(tally.reconcile().reconcile(new ReconcileCommand(system, org, g, window)).maxDrift()).isZero();
      }
    }
  }
}
