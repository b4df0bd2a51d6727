package io.tally.analytics.core.pricing;

import java.time.Instant;
import java.util.Objects;

/**
 * A price as the book stores it: the price itself and where it came from.
 *
 * @param price the price
 * @param source who or what set it, for example {@code api}, {@code csv:prices.csv} or
 *     {@code litellm:model_prices.json}; 1..200 printable characters
 * @param recordedAt when it was put or imported
 */
public record PriceEntry(ModelPrice price, String source, Instant recordedAt) {
  private static final int MAX_SOURCE = 200;

  /** Validates. */
  public PriceEntry {
    Objects.requireNonNull(price, "price");
    if (source == null || source.isBlank() || source.length() > MAX_SOURCE
        || source.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_SOURCE,
          "source must be 1.." + MAX_SOURCE + " printable characters");
    }
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  /** @return the key of its price */
  public PriceKey key() {
    return price.key();
  }
}
