package io.tally.analytics.ports.out;

import io.tally.analytics.core.pricing.PriceChange;
import java.util.List;

/**
 * What one {@link PriceBookStore} write did.
 *
 * @param changes the entries that changed, in key order (an entry put again with the same prices is not one)
 * @param hoursMarked hourly buckets marked dirty so that the rollup re-prices them (the unit is the store's dirty
 *     mark: (org, hour) in PostgreSQL, (org, model, hour) in memory)
 */
public record PriceChanges(List<PriceChange> changes, long hoursMarked) {
  /** Copies and validates. */
  public PriceChanges {
    changes = List.copyOf(changes);
    if (hoursMarked < 0) {
      throw new IllegalArgumentException("hoursMarked must be >= 0");
    }
  }
}
