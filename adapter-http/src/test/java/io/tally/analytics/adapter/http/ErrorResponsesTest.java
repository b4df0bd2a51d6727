package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.NotFoundResponse;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportUnavailableException;
import io.tally.analytics.core.pricing.InvalidPriceException;
import io.tally.analytics.core.rbac.AccessDecision;
import io.tally.analytics.core.rbac.AccessDeniedException;
import io.tally.analytics.core.routing.MissingRouteException;
import io.tally.analytics.core.routing.RouteDecision;
import io.tally.analytics.core.routing.RouteOrRejectPolicy;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {
  @Test
  void eachKindHasOneStatus() {
    assertThat(java.util.Arrays.stream(TallyException.Kind.values())
        .collect(java.util.stream.Collectors.toMap(k -> k, ErrorResponses::statusFor)))
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.ofEntries(
            java.util.Map.entry(TallyException.Kind.MALFORMED, 400),
            java.util.Map.entry(TallyException.Kind.UNAUTHENTICATED, 401),
            java.util.Map.entry(TallyException.Kind.FORBIDDEN, 403),
            java.util.Map.entry(TallyException.Kind.NOT_FOUND, 404),
            java.util.Map.entry(TallyException.Kind.CONFLICT, 409),
            java.util.Map.entry(TallyException.Kind.GONE, 410),
            java.util.Map.entry(TallyException.Kind.TOO_LARGE, 413),
            java.util.Map.entry(TallyException.Kind.INVALID, 422),
            java.util.Map.entry(TallyException.Kind.RATE_LIMITED, 429),
            java.util.Map.entry(TallyException.Kind.UNAVAILABLE, 503),
            java.util.Map.entry(TallyException.Kind.FAULT, 500)));
  }

  /** The statuses the API answered before error kinds existed, by the class that throws each code. */
  @Test
  void theDomainFailuresKeepTheirStatuses() {
    assertThat(status(new AuthenticationException(AuthenticationException.UNAUTHENTICATED, "m"))).isEqualTo(401);
    assertThat(status(new AuthenticationException(AuthenticationException.INVALID_TOKEN, "m"))).isEqualTo(401);
    assertThat(status(new AccessDeniedException(new AccessDecision.Deny(AccessDecision.CROSS_ORG, "m"))))
        .isEqualTo(403);
    assertThat(status(ExportUnavailableException.notFound("m"))).isEqualTo(404);
    assertThat(status(ExportUnavailableException.notReady("m"))).isEqualTo(409);
    assertThat(status(ExportUnavailableException.expired("m"))).isEqualTo(410);
    assertThat(status(new MissingRouteException(new RouteDecision.Reject(RouteOrRejectPolicy.MISSING_ROUTE, "m"))))
        .isEqualTo(503);
    assertThat(status(new InvalidPriceException(InvalidPriceException.INVALID_AMOUNT, "m"))).isEqualTo(422);
    assertThat(status(new RequestRejectedException("request.invalid_range", "m"))).isEqualTo(400);
  }

  @Test
  void theNoOrgScopeMessageNamesTheHeaderOverHttp() {
    ApiError error = ErrorResponses.from(new AccessDeniedException(new AccessDecision.Deny(
        AccessDecision.NO_ORG_SCOPE, "The caller has no organisation scope.")), "r").error();
    assertThat(error.message()).startsWith("The caller has no organisation scope.").contains("X-Actor-Orgs");
  }

  @Test
  void aBackendErrorCarriesRetryAfter() {
    ErrorResponses.ErrorResponse backend = ErrorResponses.from(new TallyException(TallyException.Kind.UNAVAILABLE,
        "analytics_store.backend_error", "The dynamodb analytics store failed"), "req-1");
    assertThat(backend.headers()).containsEntry("Retry-After", "5");
    assertThat(backend.error().statusCode()).isEqualTo(503);
  }

  @Test
  void jsonBindingFailuresAreInvalidOrMalformed() throws Exception {
    Exception wrongType = catchJson(() -> new ObjectMapper().readValue("{\"a\": {}}", Sample.class));
    assertThat(ErrorResponses.from(wrongType, "r").error()).extracting(ApiError::errorCode, ApiError::statusCode)
        .containsExactly("request.invalid_type", 422);
  }

  record Sample(int a) {}

  private static int status(TallyException e) {
    return ErrorResponses.from(e, "r").error().statusCode();
  }

  @Test
  void rateLimitCarriesRetryAfter() {
    ErrorResponses.ErrorResponse response = ErrorResponses.from(new RateLimitedException(7), "r1");
    assertThat(response.error().statusCode()).isEqualTo(429);
    assertThat(response.headers()).containsEntry("Retry-After", "7");
  }

  @Test
  void unknownFailuresNeverLeakTheirMessage() {
    ErrorResponses.ErrorResponse response = ErrorResponses.from(new NullPointerException("db password=x"), "r1");
    assertThat(response.error().statusCode()).isEqualTo(500);
    assertThat(response.error().message()).doesNotContain("password");
    ErrorResponses.ErrorResponse tally = ErrorResponses.from(new TallyException(TallyException.Kind.FAULT,
        "db.broken", "host=secret"), "r1");
    assertThat(tally.error().message()).doesNotContain("secret");
    assertThat(tally.error().errorCode()).isEqualTo("db.broken");
  }

  @Test
  void javalinAndJacksonFailuresGetStableCodes() throws Exception {
    assertThat(ErrorResponses.from(new NotFoundResponse(), "r").error().errorCode()).isEqualTo("route.not_found");
    Exception malformed = catchJson(() -> new ObjectMapper().readTree("{"));
    assertThat(ErrorResponses.from(malformed, "r").error().errorCode()).isEqualTo("request.malformed_json");
    assertThat(ErrorResponses.from(new IllegalArgumentException("tokens must be >= 0"), "r").error())
        .extracting(ApiError::statusCode, ApiError::message).containsExactly(400, "tokens must be >= 0");
  }

  @Test
  void bodyUsesTheWireNames() {
    assertThat(new ApiError("a.b", "m", 400, "r").toBody()).containsOnlyKeys("error_code", "message", "status_code",
        "request_id");
  }

  interface JsonCall {
    Object run() throws Exception;
  }

  static Exception catchJson(JsonCall call) {
    try {
      call.run();
      throw new AssertionError("expected a failure");
    } catch (Exception e) {
      return e;
    }
  }
}
