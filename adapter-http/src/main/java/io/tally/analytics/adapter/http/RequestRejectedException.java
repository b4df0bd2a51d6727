package io.tally.analytics.adapter.http;

import io.tally.analytics.core.TallyException;

/**
 * A request the adapter refuses before any use case runs: malformed JSON, a wrong type, a bad range, an
 * oversize body. Codes start with {@code request.} and map to a 4xx in {@link ErrorResponses}.
 */
public class RequestRejectedException extends TallyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param errorCode for example {@code request.invalid_range}
   * @param message what was wrong and what is allowed
   */
  public RequestRejectedException(String errorCode, String message) {
    super(errorCode, message);
  }
}
