package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The production path as a {@link RestartLedger}: {@link IngestingBatchSink} and {@link StoreOffsetSource} over real
 * stores (PostgreSQL in {@code StreamBrokerRestartPostgresIT}), behind the same gates as {@link InMemoryLedger}.
 * Counts the events of {@link LocalBroker#event}: one organisation, one hour.
 */
final class StoreLedger implements RestartLedger {
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final Instant HOUR = Instant.parse("2025-11-03T10:00:00Z");

  private final Tally.Stores stores;
  private final StoreOffsetSource offsets;
  private final IngestingBatchSink sink;
  private final SinkGate gate = new SinkGate();

  /**
   * @param stores where the sink stores
   * @param clock the ingest clock (the events happened on 2025-11-03)
   */
  StoreLedger(Tally.Stores stores, TimeSource clock) {
    this.stores = stores;
    this.offsets = new StoreOffsetSource(stores.events());
    this.sink = new IngestingBatchSink(Tally.over(stores, clock).ingest(), offsets, clock, Actor.system("stream"));
  }

  @Override
  public SinkGate gate() {
    return gate;
  }

  @Override
  public OptionalLong committedOffset(String stream, String consumer) {
    return offsets.committedOffset(stream, consumer);
  }

  @Override
  public void accept(StreamBatch batch) throws Exception {
    gate.pass();
    sink.accept(batch);
  }

  @Override
  public int rowCount() {
    return Math.toIntExact(stores.events().count(new EventRange(ORG, HOUR, HOUR.plusSeconds(3_600), Optional.empty())));
  }

  @Override
  public int duplicates() {
    return Math.toIntExact(sink.totals().duplicates());
  }

  @Override
  public int overlappingBatches() {
    return Math.toIntExact(sink.totals().redelivered());
  }
}
