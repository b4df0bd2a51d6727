package io.tally.analytics.adapter.rabbitmq;

/** What the stream consumer is doing, for readiness checks and metrics. */
public enum ConsumerState {
  /** Connecting and reading the committed offset. */
  STARTING,
  /** Subscribed and committing batches. */
  RUNNING,
  /** The sink is failing (database slow or down): the same batch is retried and delivery is held back. */
  PAUSED,
  /** The broker connection is lost; the client is reconnecting and will resubscribe after the last offset. */
  RECONNECTING,
  /** Closed, or stopped after a batch was refused because its stream lease changed hands. */
  STOPPED
}
