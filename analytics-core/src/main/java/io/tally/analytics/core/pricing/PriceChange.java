package io.tally.analytics.core.pricing;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the price book before and after a change: added (no before), replaced (both) or deleted (no after).
 *
 * @param key the entry's key
 * @param before the entry as it was
 * @param after the entry as it is now
 */
public record PriceChange(PriceKey key, Optional<PriceEntry> before, Optional<PriceEntry> after) {
  /** Validates. */
  public PriceChange {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (before.isEmpty() && after.isEmpty()) {
      throw new IllegalArgumentException("a change has a before or an after");
    }
    before.ifPresent(b -> requireKey(key, b));
    after.ifPresent(a -> requireKey(key, a));
  }

  private static void requireKey(PriceKey key, PriceEntry entry) {
    if (!entry.key().equals(key)) {
      throw new IllegalArgumentException("entry " + entry.key() + " is not " + key);
    }
  }
}
