package io.tally.analytics.ports.out;

/**
 * Counts the events accepted without a cost of their own and without a price in force when they arrived, per
 * model (the server exports it as {@code analytics_ingestion_unpriced_events_total{model}}, so an operator learns
 * that a model needs a price before a report understates its cost).
 */
@FunctionalInterface
public interface UnpricedEventCounter {
  /** A counter that counts nothing, for embedders without metrics. */
  UnpricedEventCounter NONE = (modelId, count) -> { };

  /**
   * @param modelId the model
   * @param count events of that model just accepted unpriced, {@code > 0}
   */
  void unpriced(String modelId, long count);
}
