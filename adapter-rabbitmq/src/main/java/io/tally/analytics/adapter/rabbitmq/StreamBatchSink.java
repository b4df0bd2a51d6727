package io.tally.analytics.adapter.rabbitmq;

/**
 * Receives consecutive batches from {@link StreamUsageConsumer}. When {@code accept} returns, the batch's rows
 * and its last offset are durably committed together; when it throws, nothing of it counts and the consumer
 * hands the same batch again after a back-off (it never skips a batch and never stores its offset).
 *
 * <p>Invalid messages are the sink's business (dead-letter them with the reason and offset, then commit):
 * throwing on a poison message would retry it forever.
 *
 * <p><b>Pipelining.</b> The consumer calls {@link #prepare} for batch N+1 on its own thread while batch N
 * commits, then {@link Prepared#commit()} in offset order on the committing thread. A sink that overrides
 * {@code prepare} does there only what writes nothing (decoding, validation); the default prepares nothing
 * and commits with {@link #accept}.
 */
@FunctionalInterface
public interface StreamBatchSink {
  void accept(StreamBatch batch) throws Exception;

  /**
   * Work on a batch that needs no store and may run while the previous batch commits.
   *
   * @param batch the next batch, not yet committed; the previous one may still be committing
   * @return what commits it; called once per attempt, again after it throws
   */
  default Prepared prepare(StreamBatch batch) {
    return () -> accept(batch);
  }

  /**
   * @param around runs round each commit (metrics, a tracing span) and must call the commit it is given once
   * @return this sink, preparing as it does, with {@code around} round each of its commits
   */
  default StreamBatchSink aroundCommit(Around around) {
    StreamBatchSink inner = this;
    return new StreamBatchSink() {
      @Override
      public void accept(StreamBatch batch) throws Exception {
        prepare(batch).commit();
      }

      @Override
      public Prepared prepare(StreamBatch batch) {
        Prepared commit = inner.prepare(batch);
        return () -> around.commit(batch, commit);
      }
    };
  }

  /** What {@link #aroundCommit} wraps round a commit. */
  @FunctionalInterface
  interface Around {
    void commit(StreamBatch batch, Prepared commit) throws Exception;
  }

  /** A batch made ready by {@link #prepare}; {@code commit} has the contract of {@link #accept}. */
  @FunctionalInterface
  interface Prepared {
    void commit() throws Exception;
  }
}
