package io.tally.analytics.core.pricing;

import io.tally.analytics.core.TallyException;

/** An event cannot be priced: no price for its model at its time ({@code pricing.no_price}) or an overflow. */
public class PricingException extends TallyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param errorCode {@code pricing.no_price} or {@code pricing.overflow}
   * @param message detail
   */
  public PricingException(String errorCode, String message) {
    super(errorCode, message);
  }
}
