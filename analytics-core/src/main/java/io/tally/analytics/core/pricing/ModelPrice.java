package io.tally.analytics.core.pricing;

import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The price of one model from a point in time on: a list price (no organisation) or an organisation's
 * negotiated override, which takes precedence over the list price for that organisation and model from its
 * {@code effectiveFrom} on (see {@link PriceBook}).
 *
 * @param modelId the model
 * @param orgId the organisation of an override; empty for the list price
 * @param effectiveFrom first instant (inclusive) this price applies to
 * @param inputMicrosPerMillionTokens price of one million input tokens, in micro-units, in
 *     {@code [0, MAX_MICROS_PER_MILLION]}
 * @param outputMicrosPerMillionTokens price of one million output tokens, in micro-units, same range
 */
public record ModelPrice(String modelId, Optional<UUID> orgId, Instant effectiveFrom,
    long inputMicrosPerMillionTokens, long outputMicrosPerMillionTokens) {

  /**
   * Largest accepted price: one million currency units per million tokens, thousands of times any real price. The
   * bound keeps a typo (a price entered in micro-units per token, say) from reaching bills, and keeps the cost of
   * any event below {@code Long.MAX_VALUE} up to 9.2 million million tokens.
   */
  public static final long MAX_MICROS_PER_MILLION = 1_000_000_000_000L;
  /** Earliest accepted effective instant. */
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  /** Latest accepted effective instant (PostgreSQL and RFC 3339 both hold it). */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Validates; every failure is an {@link InvalidPriceException} with a stable code. */
  public ModelPrice {
    if (modelId == null || !UsageEventRules.isValidModelId(modelId)) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_MODEL_ID,
          "modelId must match [A-Za-z0-9._:/@+-]{1,128}");
    }
    Objects.requireNonNull(orgId, "orgId");
    if (effectiveFrom == null || effectiveFrom.isBefore(EARLIEST) || effectiveFrom.isAfter(LATEST)) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_EFFECTIVE_FROM,
          "effectiveFrom must be an instant between " + EARLIEST + " and " + LATEST);
    }
    checkAmount(inputMicrosPerMillionTokens, "inputMicrosPer1M");
    checkAmount(outputMicrosPerMillionTokens, "outputMicrosPer1M");
  }

  /**
   * A list price.
   *
   * @param modelId the model
   * @param effectiveFrom first instant it applies to
   * @param inputMicrosPerMillionTokens input price per million tokens, micro-units
   * @param outputMicrosPerMillionTokens output price per million tokens, micro-units
   */
  public ModelPrice(String modelId, Instant effectiveFrom, long inputMicrosPerMillionTokens,
      long outputMicrosPerMillionTokens) {
    this(modelId, Optional.empty(), effectiveFrom, inputMicrosPerMillionTokens, outputMicrosPerMillionTokens);
  }

  /** @return what identifies this entry in a price book */
  public PriceKey key() {
    return new PriceKey(modelId, orgId, effectiveFrom);
  }

  /**
   * @param other another price
   * @return true when both charge the same per token (the entries may differ in everything else)
   */
  public boolean chargesLike(ModelPrice other) {
    return inputMicrosPerMillionTokens == other.inputMicrosPerMillionTokens
        && outputMicrosPerMillionTokens == other.outputMicrosPerMillionTokens;
  }

  private static void checkAmount(long micros, String field) {
    if (micros < 0 || micros > MAX_MICROS_PER_MILLION) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_AMOUNT,
          field + " must be an integer between 0 and " + MAX_MICROS_PER_MILLION + " (micro-units per 1M tokens)");
    }
  }
}
