package io.tally.analytics.adapter.rabbitmq;

import java.util.OptionalLong;

/**
 * Where the consumer reads the last offset whose rows are committed, for a stream and consumer name.
 *
 * <p>In the server this is the database row written in the same transaction as the batch's events, never the
 * broker's own offset store: only the database knows what was really committed.
 */
@FunctionalInterface
interface OffsetSource {
  /** @return the last committed offset, or empty if nothing was ever committed for this pair */
  OptionalLong committedOffset(String stream, String consumer);
}
