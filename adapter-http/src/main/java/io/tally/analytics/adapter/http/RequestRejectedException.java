package io.tally.analytics.adapter.http;

import io.tally.analytics.core.TallyException;

/**
 * A request the adapter refuses before any use case runs: malformed JSON, a wrong type, a bad range, an
 * oversize body. Codes start with {@code request.}; the kind (default {@link Kind#MALFORMED}, a 400) decides
 * the status in {@link ErrorResponses}.
 */
class RequestRejectedException extends TallyException {
  private static final long serialVersionUID = 1L;

  /**
   * A malformed request (400).
   *
   * @param errorCode for example {@code request.invalid_range}
   * @param message what was wrong and what is allowed
   */
  RequestRejectedException(String errorCode, String message) {
    this(Kind.MALFORMED, errorCode, message);
  }

  /**
   * @param kind what sort of refusal (for example {@link Kind#TOO_LARGE} for an oversize body)
   * @param errorCode for example {@code request.too_large}
   * @param message what was wrong and what is allowed
   */
  RequestRejectedException(Kind kind, String errorCode, String message) {
    super(kind, errorCode, message);
  }
}
