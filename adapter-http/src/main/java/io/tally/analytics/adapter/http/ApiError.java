package io.tally.analytics.adapter.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one error body every route answers with: {@code {"error_code","message","status_code","request_id"}}.
 *
 * @param errorCode stable dotted code clients key on
 * @param message human-readable explanation, never a stack trace
 * @param statusCode the HTTP status sent with it
 * @param requestId the request id, echoed so a client can quote it
 */
record ApiError(String errorCode, String message, int statusCode, String requestId) {

  /** Validates. */
  public ApiError {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** @return the snake_case wire form, in a stable key order */
  public Map<String, Object> toBody() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", errorCode);
    body.put("message", message);
    body.put("status_code", statusCode);
    body.put("request_id", requestId);
    return body;
  }
}
