package io.tally.analytics.core;

import java.util.Objects;

/**
 * Root of every Tally failure that is not an expected outcome.
 *
 * <p>Expected outcomes (a duplicate, a rejected event, a denied request) are returned as values; this type
 * is for broken invariants and infrastructure faults. Every instance carries a stable {@link #errorCode()}
 * such as {@code event.invalid_tokens}, which the HTTP layer maps once, in one place.
 */
public class TallyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;

  /**
   * @param errorCode stable, dotted, lower-case code (for example {@code store.unavailable})
   * @param message human-readable explanation, safe to show to API clients
   */
  public TallyException(String errorCode, String message) {
    super(message);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /**
   * @param errorCode stable code
   * @param message explanation
   * @param cause underlying failure
   */
  public TallyException(String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /** @return the stable error code clients and dashboards key on */
  public String errorCode() {
    return errorCode;
  }
}
