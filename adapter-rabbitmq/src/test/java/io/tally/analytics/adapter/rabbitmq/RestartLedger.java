package io.tally.analytics.adapter.rabbitmq;

import java.util.concurrent.CountDownLatch;

/** What the broker-restart test needs of the consumer's sink and offsets: gates to hold it, and what it stored. */
interface RestartLedger extends OffsetSource, StreamBatchSink {
  /** @return the gate every accept passes first */
  SinkGate gate();

  /** @param millisPerBatch pause before each batch */
  default void slow(long millisPerBatch) {
    gate().slow(millisPerBatch);
  }

  /** @return a latch every accept waits on until {@link #unblock} */
  default CountDownLatch block() {
    return gate().block();
  }

  /** Lets every waiting accept through. */
  default void unblock() {
    gate().unblock();
  }

  /** @return distinct events stored */
  int rowCount();

  /** @return events delivered again after they were stored */
  int duplicates();

  /** @return batches that started at or before an offset already committed */
  int overlappingBatches();
}
