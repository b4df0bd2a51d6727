package io.tally.analytics.ports.out;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import java.util.List;
import java.util.Optional;

/**
 * The stored price book, and the one way prices change. Contract: {@code PriceBookStoreContract}.
 *
 * <p>Rules every implementation keeps (one database with the {@link UsageEventStore} and {@link RollupStore}):
 * <ul>
 *   <li>A write is one transaction: the entries and the dirty marks of every hourly bucket whose cost it changes
 *       commit together. The buckets are those holding events without their own cost inside a
 *       {@link PriceBook#repricedRanges repriced range} of a changed entry, so the next refresh recomputes their
 *       cost from the events and the new book and no event is ever re-ingested.
 *   <li>Writes are serialized with each other and with the price reads of a rollup refresh ({@link RollupTransaction#prices}): a
 *       refresh that read the old book has committed before a write looks for events to mark, and a refresh that
 *       starts after the write's commit reads the new book. That is what makes re-pricing exact under concurrency.
 *   <li>Putting an entry whose key exists with the same prices changes nothing (its source and time stay).
 * </ul>
 */
public interface PriceBookStore extends PriceBookSource {
  /**
   * @param modelId optional model filter
   * @return the entries, ordered by {@link PriceKey#ORDER}
   */
  List<PriceEntry> entries(Optional<String> modelId);

  /**
   * Adds or replaces entries by key, in one transaction.
   *
   * @param entries distinct keys
   * @return the entries that changed, with the buckets marked for re-pricing
   */
  PriceChanges put(List<PriceEntry> entries);

  /**
   * @param key an entry's key
   * @return the deletion and its marked buckets; no change when there was no such entry
   */
  PriceChanges delete(PriceKey key);
}
