package io.tally.analytics.core.pricing;

import io.tally.analytics.core.TallyException;

/**
 * A price entry that breaks a rule: an unknown model id spelling, a negative or absurd amount, an effective
 * instant outside the supported years. The codes are stable: {@code price.invalid_model_id},
 * {@code price.invalid_amount}, {@code price.invalid_effective_from}, {@code price.invalid_source}.
 */
public class InvalidPriceException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** The model id does not match {@code [A-Za-z0-9._:/@+-]{1,128}}. */
  public static final String INVALID_MODEL_ID = "price.invalid_model_id";
  /** A price is negative or above {@link ModelPrice#MAX_MICROS_PER_MILLION}. */
  public static final String INVALID_AMOUNT = "price.invalid_amount";
  /** The effective instant is outside {@link ModelPrice#EARLIEST} .. {@link ModelPrice#LATEST}. */
  public static final String INVALID_EFFECTIVE_FROM = "price.invalid_effective_from";
  /** The source label is blank, too long or not printable. */
  public static final String INVALID_SOURCE = "price.invalid_source";

  /**
   * @param errorCode one of the constants of this class
   * @param message what is wrong, safe to show to the caller
   */
  public InvalidPriceException(String errorCode, String message) {
    super(Kind.INVALID, errorCode, message);
  }
}
