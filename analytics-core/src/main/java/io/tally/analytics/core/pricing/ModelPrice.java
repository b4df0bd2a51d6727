package io.tally.analytics.core.pricing;

import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.Objects;

/**
 * The price of one model from a point in time on.
 *
 * @param modelId the model
 * @param effectiveFrom first instant (inclusive) this price applies to
 * @param inputMicrosPerMillionTokens price of one million input tokens, in micro-units, {@code >= 0}
 * @param outputMicrosPerMillionTokens price of one million output tokens, in micro-units, {@code >= 0}
 */
public record ModelPrice(
    String modelId, Instant effectiveFrom, long inputMicrosPerMillionTokens, long outputMicrosPerMillionTokens) {
  /** Validates. */
  public ModelPrice {
    if (!UsageEventRules.isValidModelId(modelId)) {
      throw new IllegalArgumentException("invalid modelId: " + modelId);
    }
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    if (inputMicrosPerMillionTokens < 0 || outputMicrosPerMillionTokens < 0) {
      throw new IllegalArgumentException("prices must be >= 0");
    }
  }
}
