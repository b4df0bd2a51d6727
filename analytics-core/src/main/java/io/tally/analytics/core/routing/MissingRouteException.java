package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;

/**
 * Raised by use cases for a {@link RouteDecision.Reject}: error code {@code analytics_store.missing_route},
 * HTTP status 503, and the appendix message, which the HTTP layer returns as
 * {@code {"error_code", "message", "status_code"}}.
 */
public class MissingRouteException extends TallyException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** @param reject the policy's rejection */
  public MissingRouteException(RouteDecision.Reject reject) {
    super(reject.errorCode(), reject.message());
    this.status = reject.status();
  }

  /** @return the HTTP status to answer with (503) */
  public int status() {
    return status;
  }
}
