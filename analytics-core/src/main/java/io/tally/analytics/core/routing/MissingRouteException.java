package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;

/**
 * Raised by use cases for a {@link RouteDecision.Reject}: error code {@code analytics_store.missing_route},
 * kind {@link Kind#UNAVAILABLE} (the store the tenant needs is not configured yet), and the appendix message.
 */
public class MissingRouteException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** @param reject the policy's rejection */
  public MissingRouteException(RouteDecision.Reject reject) {
    super(Kind.UNAVAILABLE, reject.errorCode(), reject.message());
  }
}
