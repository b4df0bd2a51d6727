package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.HttpResponseException;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.AccessDecision;
import java.util.Map;

/**
 * The one place that turns a failure into an HTTP status and the one error body. A {@link TallyException}'s
 * {@link TallyException.Kind} decides the status ({@link #statusFor(TallyException.Kind)}, one line per kind);
 * the error code is passed through unchanged. A failure that is not a {@code TallyException} is a 500 with a
 * generic message, so an internal detail never reaches a client by accident.
 */
final class ErrorResponses {

  /** Code of a routed store's backend failing: 503 with {@code Retry-After}, the client may retry. */
  static final String BACKEND_ERROR = "analytics_store.backend_error";
  /** Seconds a client should wait before retrying a {@value #BACKEND_ERROR}. */
  static final int BACKEND_RETRY_AFTER_SECONDS = 5;

  /** Code of every unexpected failure. */
  static final String INTERNAL = "internal_error";
  static final String INTERNAL_MESSAGE = "Internal server error; quote the request_id when reporting it";

  /**
   * What HTTP adds to a domain message: core names no header, so the hint that says which header (or token
   * claim) carries the missing piece is written here.
   */
  private static final Map<String, String> HTTP_HINTS = Map.of(
      AccessDecision.NO_ORG_SCOPE, " Send the X-Actor-Orgs header (or the orgs claim of a token); X-Actor-Orgs: *"
          + " is a platform operator.");

  private ErrorResponses() {}

  /** An error body plus the headers that go with it ({@code Retry-After} for 429). */
  record ErrorResponse(ApiError error, Map<String, String> headers) {
    /** Defensive copy. */
    ErrorResponse {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * @param kind what sort of failure
   * @return the status every failure of that kind answers with
   */
  static int statusFor(TallyException.Kind kind) {
    return switch (kind) {
      case MALFORMED -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case GONE -> 410;
      case TOO_LARGE -> 413;
      case INVALID -> 422;
      case RATE_LIMITED -> 429;
      case UNAVAILABLE -> 503;
      case FAULT -> 500;
    };
  }

  /**
   * @param failure anything a handler, filter or Javalin itself threw
   * @param requestId the request's id
   * @return the response to send
   */
  static ErrorResponse from(Throwable failure, String requestId) {
    if (failure instanceof RateLimitedException limited) {
      ErrorResponse response = of(limited, requestId);
      return new ErrorResponse(response.error(), Map.of("Retry-After", Long.toString(limited.retryAfterSeconds())));
    }
    if (failure instanceof TallyException tally && BACKEND_ERROR.equals(tally.errorCode())) {
      ErrorResponse backend = of(tally, requestId);
      return new ErrorResponse(backend.error(), Map.of("Retry-After", Integer.toString(BACKEND_RETRY_AFTER_SECONDS)));
    }
    if (failure instanceof TallyException tally) {
      return of(tally, requestId);
    }
    if (failure instanceof HttpResponseException http) {
      return new ErrorResponse(forProtocolStatus(http.getStatus(), requestId), Map.of());
    }
    JsonProcessingException json = jsonCause(failure);
    if (json != null) {
      return of(rejectionOf(json), requestId);
    }
    if (failure instanceof IllegalArgumentException) {
      // Records validate in their constructors; at this boundary the argument almost always came from the request.
      return of(new RequestRejectedException("request.invalid_argument", String.valueOf(failure.getMessage())),
          requestId);
    }
    return new ErrorResponse(new ApiError(INTERNAL, INTERNAL_MESSAGE, 500, requestId), Map.of());
  }

  /**
   * @param failure a Tally failure
   * @param requestId the request's id
   * @return the response: its kind's status, its code, its message (a generic one when the status is 500)
   */
  static ErrorResponse of(TallyException failure, String requestId) {
    int status = statusFor(failure.kind());
    String message = failure.getMessage();
    String safeMessage = status == 500 || message == null || message.isBlank() ? INTERNAL_MESSAGE
        : message + HTTP_HINTS.getOrDefault(failure.errorCode(), "");
    return new ErrorResponse(new ApiError(failure.errorCode(), safeMessage, status, requestId), Map.of());
  }

  /**
   * @param status a status the HTTP server (Jetty or Javalin) produced on its own, before any route ran
   * @param requestId the id to report
   * @return the error in the one shape, with that status
   */
  static ApiError forProtocolStatus(int status, String requestId) {
    return switch (status) {
      case 400 -> new ApiError("request.bad_request", "Malformed HTTP request (path, encoding or request line)",
          status, requestId);
      case 404 -> new ApiError("route.not_found", "No route matches this path", status, requestId);
      case 405 -> new ApiError("request.method_not_allowed", "This path does not accept this method", status,
          requestId);
      case 413 -> new ApiError("request.too_large", "Request body exceeds the configured maximum size", status,
          requestId);
      case 414 -> new ApiError("request.uri_too_long", "Request URI is too long", status, requestId);
      case 415 -> new ApiError("request.unsupported_media_type", "Unsupported content type", status, requestId);
      case 431 -> new ApiError("request.headers_too_large", "Request headers are too large", status, requestId);
      default -> status >= 400 && status < 500
          ? new ApiError("request.rejected", "Request rejected", status, requestId)
          : new ApiError(INTERNAL, INTERNAL_MESSAGE, 500, requestId);
    };
  }

  /**
   * @param json a body Jackson could not bind
   * @return the refusal: {@code request.invalid_type} (422) for a wrong JSON type at a path,
   *     {@code request.invalid_field} (422) for a value a record refused, else {@code request.malformed_json} (400)
   */
  static RequestRejectedException rejectionOf(JsonProcessingException json) {
    if (json instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      return new RequestRejectedException(TallyException.Kind.INVALID, "request.invalid_type",
          "Wrong JSON type at " + pathOf(mismatch));
    }
    if (json instanceof ValueInstantiationException invalid) {
      // A record's validating constructor refused the value; its message names the rule, never internals.
      Throwable reason = invalid.getCause() != null ? invalid.getCause() : invalid;
      return new RequestRejectedException(TallyException.Kind.INVALID, "request.invalid_field",
          "Invalid value at " + pathOf(invalid) + ": " + String.valueOf(reason.getMessage()));
    }
    return new RequestRejectedException("request.malformed_json", "Request body is not valid JSON");
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static JsonProcessingException jsonCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        return json;
      }
    }
    return null;
  }
}
