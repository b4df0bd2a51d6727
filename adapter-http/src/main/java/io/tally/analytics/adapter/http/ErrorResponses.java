package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.HttpResponseException;
import io.tally.analytics.core.TallyException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The one place that turns a failure into an HTTP status and the one error body. The table below is read top
 * to bottom and the first rule whose pattern matches the error code wins; a code no rule knows is a 500 with
 * a generic message, so an internal detail never reaches a client by accident.
 */
public final class ErrorResponses {

  /** Code of a routed store's backend failing: 503 with {@code Retry-After}, the client may retry. */
  public static final String BACKEND_ERROR = "analytics_store.backend_error";
  /** Seconds a client should wait before retrying a {@value #BACKEND_ERROR}. */
  static final int BACKEND_RETRY_AFTER_SECONDS = 5;

  /** Code of every unexpected failure. */
  public static final String INTERNAL = "internal_error";
  static final String INTERNAL_MESSAGE = "Internal server error; quote the request_id when reporting it";

  private record Rule(String pattern, Predicate<String> matches, int status) {}

  private static final List<Rule> TABLE = List.of(
      exact("auth.unauthenticated", 401),
      exact("auth.invalid_token", 401),
      exact("auth.untrusted_source", 401),
      exact("auth.forbidden", 403),
      exact("auth.cross_org", 403),
      exact("auth.no_org_scope", 403),
      exact("rate_limited", 429),
      exact("analytics_store.missing_route", 503),
      exact("analytics_store.backend_unavailable", 503),
      exact(BACKEND_ERROR, 503),
      exact("query.too_broad", 422),
      exact("route.invalid_config", 400),
      exact("export.not_ready", 409),
      exact("export.expired", 410),
      exact("export.not_cancellable", 409),
      exact("export.link_invalid", 403),
      exact("export.link_expired", 410),
      exact("route.invalid", 422),
      exact("price.in_effect", 409),
      exact("query.range_too_large", 400),
      exact("query.exact_range_too_large", 400),
      exact("query.invalid_time", 400),
      exact("route.not_found", 404),
      exact("request.method_not_allowed", 405),
      exact("request.too_large", 413),
      exact("request.too_many_events", 413),
      exact("request.unsupported_media_type", 415),
      exact("request.uri_too_long", 414),
      exact("request.headers_too_large", 431),
      exact("request.invalid_type", 422),
      exact("request.invalid_field", 422),
      suffix(".not_found", 404),
      suffix(".conflict", 409),
      suffix(".unavailable", 503),
      prefix("request.", 400),
      infix(".invalid_", 422),
      prefix("auth.", 403));

  private ErrorResponses() {}

  /** An error body plus the headers that go with it ({@code Retry-After} for 429). */
  public record ErrorResponse(ApiError error, Map<String, String> headers) {
    /** Defensive copy. */
    public ErrorResponse {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * @param errorCode a stable code
   * @return the status the table gives it; 500 when no rule matches
   */
  public static int statusFor(String errorCode) {
    return TABLE.stream().filter(r -> r.matches().test(errorCode)).findFirst().map(Rule::status).orElse(500);
  }

  /** @return the table as {@code pattern -> status}, in match order, for docs and tests */
  public static Map<String, Integer> table() {
    return TABLE.stream().collect(Collectors.toMap(Rule::pattern, Rule::status, (a, b) -> a,
        java.util.LinkedHashMap::new));
  }

  /**
   * @param failure anything a handler, filter or Javalin itself threw
   * @param requestId the request's id
   * @return the response to send
   */
  public static ErrorResponse from(Throwable failure, String requestId) {
    if (failure instanceof RateLimitedException limited) {
      ApiError error = new ApiError(limited.errorCode(), limited.getMessage(), 429, requestId);
      return new ErrorResponse(error, Map.of("Retry-After", Long.toString(limited.retryAfterSeconds())));
    }
    if (failure instanceof TallyException tally && BACKEND_ERROR.equals(tally.errorCode())) {
      ErrorResponse backend = of(tally.errorCode(), tally.getMessage(), requestId);
      return new ErrorResponse(backend.error(), Map.of("Retry-After", Integer.toString(BACKEND_RETRY_AFTER_SECONDS)));
    }
    if (failure instanceof TallyException tally) {
      return of(tally.errorCode(), tally.getMessage(), requestId);
    }
    if (failure instanceof HttpResponseException http) {
      return new ErrorResponse(forProtocolStatus(http.getStatus(), requestId), Map.of());
    }
    JsonProcessingException json = jsonCause(failure);
    if (json != null) {
      return fromJson(json, requestId);
    }
    if (failure instanceof IllegalArgumentException) {
      // Records validate in their constructors; at this boundary the argument almost always came from the request.
      return of("request.invalid_argument", String.valueOf(failure.getMessage()), requestId);
    }
    return of(INTERNAL, INTERNAL_MESSAGE, requestId);
  }

  /**
   * @param errorCode a stable code
   * @param message the client-facing explanation; replaced by a generic one when the status is 500
   * @param requestId the request's id
   * @return the response to send
   */
  public static ErrorResponse of(String errorCode, String message, String requestId) {
    int status = statusFor(errorCode);
    String safeMessage = status == 500 || message == null || message.isBlank() ? INTERNAL_MESSAGE : message;
    return new ErrorResponse(new ApiError(errorCode, safeMessage, status, requestId), Map.of());
  }

  /**
   * @param status a status the HTTP server (Jetty) produced on its own, before any route ran
   * @param requestId the id to report
   * @return the error in the one shape
   */
  public static ApiError forProtocolStatus(int status, String requestId) {
    ErrorResponse response = switch (status) {
      case 400 -> of("request.bad_request", "Malformed HTTP request (path, encoding or request line)", requestId);
      case 404 -> of("route.not_found", "No route matches this path", requestId);
      case 405 -> of("request.method_not_allowed", "This path does not accept this method", requestId);
      case 413 -> of("request.too_large", "Request body exceeds the configured maximum size", requestId);
      case 414 -> of("request.uri_too_long", "Request URI is too long", requestId);
      case 415 -> of("request.unsupported_media_type", "Unsupported content type", requestId);
      case 431 -> of("request.headers_too_large", "Request headers are too large", requestId);
      default -> status >= 400 && status < 500
          ? new ErrorResponse(new ApiError("request.rejected", "Request rejected", status, requestId), Map.of())
          : of(INTERNAL, INTERNAL_MESSAGE, requestId);
    };
    return response.error();
  }

  private static ErrorResponse fromJson(JsonProcessingException json, String requestId) {
    if (json instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      return of("request.invalid_type", "Wrong JSON type at " + pathOf(mismatch), requestId);
    }
    if (json instanceof ValueInstantiationException invalid) {
      // A record's validating constructor refused the value; its message names the rule, never internals.
      Throwable reason = invalid.getCause() != null ? invalid.getCause() : invalid;
      return of("request.invalid_field", "Invalid value at " + pathOf(invalid) + ": "
          + String.valueOf(reason.getMessage()), requestId);
    }
    return of("request.malformed_json", "Request body is not valid JSON", requestId);
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

  private static Rule exact(String code, int status) {
    return new Rule(code, code::equals, status);
  }

  private static Rule prefix(String prefix, int status) {
    return new Rule(prefix + "*", c -> c.startsWith(prefix), status);
  }

  private static Rule suffix(String suffix, int status) {
    return new Rule("*" + suffix, c -> c.endsWith(suffix), status);
  }

  private static Rule infix(String infix, int status) {
    return new Rule("*" + infix + "*", c -> c.contains(infix), status);
  }
}
