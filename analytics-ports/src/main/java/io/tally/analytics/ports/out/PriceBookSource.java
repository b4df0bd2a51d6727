package io.tally.analytics.ports.out;

import io.tally.analytics.core.pricing.PriceBook;

/** Supplies the price book in force (configuration file, database table, …). */
@FunctionalInterface
public interface PriceBookSource {
  /** @return the current book; implementations may cache it */
  PriceBook current();
}
