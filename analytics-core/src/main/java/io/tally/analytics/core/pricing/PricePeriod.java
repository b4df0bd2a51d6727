package io.tally.analytics.core.pricing;

import java.time.Instant;
import java.util.Objects;

/**
 * The price one organisation pays for one model during {@code [start, end)}: what {@link PriceBook#periods}
 * hands to a store that evaluates {@link PriceBook#cost} itself (in SQL) over many events at once.
 *
 * @param modelId the model
 * @param start first instant (inclusive)
 * @param end end (exclusive), after start
 * @param price the price in force throughout
 */
public record PricePeriod(String modelId, Instant start, Instant end, ModelPrice price) {
  /** Validates. */
  public PricePeriod {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(price, "price");
    if (!Objects.requireNonNull(end, "end").isAfter(Objects.requireNonNull(start, "start"))) {
      throw new IllegalArgumentException("a period ends after it starts");
    }
  }
}
