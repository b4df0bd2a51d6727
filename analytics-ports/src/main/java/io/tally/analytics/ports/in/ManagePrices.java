package io.tally.analytics.ports.in;

import io.tally.analytics.core.pricing.InvalidPriceException;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.rbac.Actor;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The price book API ({@code /analytics/v1/prices}) and the CLI's {@code tally prices}. Every call needs
 * {@code analytics:prices:admin} on the platform scope (platform operators). Every change is audited with the
 * entry before and after it; a change re-prices the past hours it affects through the rollup, without
 * re-ingesting anything.
 */
public interface ManagePrices {
  /** Most entries one put may carry (a LiteLLM price map holds a few thousand models). */
  int MAX_ENTRIES = 20_000;

  /**
   * @param actor caller
   * @param modelId optional model filter
   * @return the entries, ordered by model, list price before overrides, effective instant
   */
  List<PriceEntry> list(Actor actor, Optional<String> modelId);

  /**
   * @param command what to put
   * @return what changed (or, for a dry run, what would change)
   */
  PriceChangeReport put(PutPrices command);

  /**
   * Deletes an entry that has not taken effect yet ({@code price.in_effect}, 409, for one that has: correct it by
   * putting a new price instead, which keeps the history auditable). {@code price.not_found} when there is none.
   *
   * @param actor caller
   * @param key the entry
   * @return the deletion
   */
  PriceChangeReport delete(Actor actor, PriceKey key);

  /**
   * @param actor caller
   * @param prices entries to add or replace by key; distinct keys ({@code price.invalid_duplicate_key}), at most
   *     {@link #MAX_ENTRIES}
   * @param source recorded with each entry: {@code api}, {@code csv:FILE}, {@code litellm:FILE}
   * @param dryRun when true nothing is written and the report says what would change
   */
  record PutPrices(Actor actor, List<ModelPrice> prices, String source, boolean dryRun) {
    /** Validates. */
    public PutPrices {
      Objects.requireNonNull(actor, "actor");
      prices = List.copyOf(prices);
      Objects.requireNonNull(source, "source");
      if (prices.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException("at most " + MAX_ENTRIES + " prices per call");
      }
      Set<PriceKey> keys = new HashSet<>();
      for (ModelPrice p : prices) {
        if (!keys.add(p.key())) {
          throw new InvalidPriceException("price.invalid_duplicate_key",
              "two entries for model " + p.modelId() + p.orgId().map(o -> " of org " + o).orElse("") + " at "
                  + p.effectiveFrom());
        }
      }
    }
  }

  /**
   * @param changes the entries that changed (would change, for a dry run), in key order
   * @param unchanged entries put again with the prices they already had
   * @param hoursMarked hourly buckets marked for re-pricing (0 for a dry run)
   * @param dryRun true when nothing was written
   */
  record PriceChangeReport(List<PriceChange> changes, int unchanged, long hoursMarked, boolean dryRun) {
    /** Copies. */
    public PriceChangeReport {
      changes = List.copyOf(changes);
    }
  }
}
