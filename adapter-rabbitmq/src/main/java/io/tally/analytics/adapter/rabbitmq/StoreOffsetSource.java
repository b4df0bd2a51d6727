package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.ports.out.UsageEventStore;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Reads the consumer's start position from the usage event store: the offset committed in the same transaction
 * as the rows, so the consumer resumes exactly after what is durably stored.
 */
public final class StoreOffsetSource implements OffsetSource {
  private final UsageEventStore store;

  /** @param store the store whose appends carry the stream position */
  public StoreOffsetSource(UsageEventStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public OptionalLong committedOffset(String stream, String consumer) {
    return store.committedOffset(stream, consumer).map(OptionalLong::of).orElseGet(OptionalLong::empty);
  }
}
