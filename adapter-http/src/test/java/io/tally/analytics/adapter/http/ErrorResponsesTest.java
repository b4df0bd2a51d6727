package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.NotFoundResponse;
import io.tally.analytics.core.TallyException;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {
  @Test
  void tableMapsTheIssueCodes() {
    assertThat(ErrorResponses.statusFor("auth.unauthenticated")).isEqualTo(401);
    assertThat(ErrorResponses.statusFor("auth.untrusted_source")).isEqualTo(401);
    assertThat(ErrorResponses.statusFor("auth.invalid_token")).isEqualTo(401);
    assertThat(ErrorResponses.statusFor("auth.forbidden")).isEqualTo(403);
    assertThat(ErrorResponses.statusFor("auth.cross_org")).isEqualTo(403);
    assertThat(ErrorResponses.statusFor("auth.no_org_scope")).isEqualTo(403);
    assertThat(ErrorResponses.statusFor("export.not_found")).isEqualTo(404);
    assertThat(ErrorResponses.statusFor("rate_limited")).isEqualTo(429);
    assertThat(ErrorResponses.statusFor("analytics_store.missing_route")).isEqualTo(503);
    assertThat(ErrorResponses.statusFor("request.too_large")).isEqualTo(413);
    assertThat(ErrorResponses.statusFor("request.invalid_range")).isEqualTo(400);
    assertThat(ErrorResponses.statusFor("event.invalid_tokens")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("route.conflict")).isEqualTo(409);
    assertThat(ErrorResponses.statusFor("something.else")).isEqualTo(500);
  }

  @Test
  void tableMapsTheUseCaseCodes() {
    assertThat(ErrorResponses.statusFor("export.not_ready")).isEqualTo(409);
    assertThat(ErrorResponses.statusFor("export.expired")).isEqualTo(410);
    assertThat(ErrorResponses.statusFor("export.invalid_request")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("route.invalid")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("route.invalid_config")).isEqualTo(400);
    assertThat(ErrorResponses.statusFor("query.too_broad")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("analytics_store.backend_error")).isEqualTo(503);
    ErrorResponses.ErrorResponse backend = ErrorResponses.from(new io.tally.analytics.core.TallyException(
        "analytics_store.backend_error", "The dynamodb analytics store failed"), "req-1");
    assertThat(backend.headers()).containsEntry("Retry-After", "5");
    assertThat(backend.error().statusCode()).isEqualTo(503);
    assertThat(ErrorResponses.statusFor("routing.not_found")).isEqualTo(404);
    assertThat(ErrorResponses.statusFor("analytics_event.not_found")).isEqualTo(404);
    assertThat(ErrorResponses.statusFor("analytics_event.invalid_payload")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("analytics_store.backend_unavailable")).isEqualTo(503);
    assertThat(ErrorResponses.statusFor("request.invalid_mode")).isEqualTo(400);
    assertThat(ErrorResponses.statusFor("request.missing_tenant")).isEqualTo(400);
  }

  @Test
  void exactRulesWinOverPatterns() {
    assertThat(ErrorResponses.statusFor("request.invalid_type")).isEqualTo(422);
    assertThat(ErrorResponses.statusFor("route.not_found")).isEqualTo(404);
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
    ErrorResponses.ErrorResponse tally = ErrorResponses.from(new TallyException("db.broken", "host=secret"), "r1");
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
