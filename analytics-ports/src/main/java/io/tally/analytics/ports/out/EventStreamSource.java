package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEventCandidate;
import java.util.List;

/**
 * A stream of usage events (RabbitMQ stream in production). The source resumes after the position committed in
 * {@link UsageEventStore#committedOffset}, hands batches to a handler, and stores nothing itself: the handler
 * commits the position together with the rows, which makes delivery effectively-once.
 */
public interface EventStreamSource {
  /** Receives one batch of parsed messages; returns only after the batch and its position are committed. */
  @FunctionalInterface
  interface BatchHandler {
    /**
     * @param candidates messages as parsed (unparseable JSON still arrives, with its raw payload)
     * @param position position of the last message of the batch
     */
    void onBatch(List<UsageEventCandidate> candidates, StreamPosition position);
  }

  /** @param handler called for every batch, one at a time, until {@link #stop()} */
  void start(BatchHandler handler);

  /** Stops consuming after the batch in flight, so its position is committed before shutdown. */
  void stop();
}
