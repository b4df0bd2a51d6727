package io.tally.analytics.core.pricing;

import io.tally.analytics.core.TallyException;

/** A cost that cannot be computed: the exact cost of an event does not fit a long ({@code pricing.overflow}). */
public class PricingException extends TallyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param errorCode {@code pricing.overflow}
   * @param message detail
   */
  public PricingException(String errorCode, String message) {
    super(Kind.FAULT, errorCode, message);
  }
}
