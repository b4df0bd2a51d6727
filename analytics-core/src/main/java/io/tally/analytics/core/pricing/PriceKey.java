package io.tally.analytics.core.pricing;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What identifies one entry of a price book: a model, the organisation of an override (empty for the list
 * price) and the instant it takes effect. Putting an entry with an existing key replaces that entry.
 *
 * @param modelId the model
 * @param orgId the organisation of an override; empty for the list price
 * @param effectiveFrom first instant the entry applies to
 */
public record PriceKey(String modelId, Optional<UUID> orgId, Instant effectiveFrom) {
  /** Model, then list price before overrides (overrides by organisation), then effective instant. */
  public static final Comparator<PriceKey> ORDER = Comparator.comparing(PriceKey::modelId)
      .thenComparing(k -> k.orgId().orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(PriceKey::effectiveFrom);

  /** Validates. */
  public PriceKey {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
  }
}
