package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageEventValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private final UsageEventValidator validator = UsageEventValidator.withDefaults();

  static Map<String, String> appendixEvent() {
    Map<String, String> f = new HashMap<>();
    f.put("eventId", "req-7f3a");
    f.put("orgId", "00000000-0000-0000-0000-000000000001");
    f.put("occurredAt", "2025-11-03T10:15:30.123Z");
    f.put("modelId", "llama-3-70b");
    f.put("apiKeyId", "key_12");
    f.put("inputTokens", "812");
    f.put("outputTokens", "230");
    f.put("costMicros", "1840");
    f.put("latencyMs", "912");
    f.put("status", "error");
    f.put("errorCode", "upstream_timeout");
    f.put("region", "us-east");
    return f;
  }

  private ValidationResult validate(Map<String, String> fields) {
    return validator.validate(UsageEventCandidate.fromWireFields(fields, Optional.empty()), NOW);
  }

  @Test
  void acceptsTheAppendixEvent() {
    ValidationResult result = validate(appendixEvent());
    assertThat(result).isInstanceOf(ValidationResult.Valid.class);
    UsageEvent event = ((ValidationResult.Valid) result).event();
    assertThat(event.inputTokens()).isEqualTo(812);
    assertThat(event.costMicros()).contains(1840L);
    assertThat(event.status()).isEqualTo(UsageStatus.ERROR);
    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-11-03T10:15:30.123Z"));
    assertThat(event.actorId()).isEmpty();
  }

  @Test
  void costIsOptional() {
    Map<String, String> f = appendixEvent();
    f.remove("costMicros");
    assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Valid.class,
        v -> assertThat(v.event().costMicros()).isEmpty());
  }

  @Test
  void acceptsAnOffsetTimestamp() {
    Map<String, String> f = appendixEvent();
    f.put("occurredAt", "2025-11-03T12:15:30.123+02:00");
    assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Valid.class,
        v -> assertThat(v.event().occurredAt()).isEqualTo(Instant.parse("2025-11-03T10:15:30.123Z")));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, String> f = new HashMap<>();
    f.put("eventId", "");
    f.put("orgId", "not-a-uuid");
    f.put("occurredAt", "not-a-time");
    f.put("modelId", "bad model");
    f.put("inputTokens", "-1");
    f.put("outputTokens", "1.5");
    f.put("costMicros", "x");
    f.put("latencyMs", "-3");
    f.put("status", "maybe");
    ValidationResult result = validate(f);
    assertThat(result).isInstanceOfSatisfying(ValidationResult.Invalid.class, inv ->
        assertThat(inv.errorCodes()).containsExactlyInAnyOrder(
            "event.invalid_event_id", "event.invalid_org_id", "event.invalid_timestamp",
            "event.invalid_model_id", "event.invalid_tokens", "event.invalid_cost", "event.invalid_latency",
            "event.invalid_status"));
    assertThat(((ValidationResult.Invalid) result).violations()).hasSize(9);
  }

  @Test
  void reportsEachMissingField() {
    ValidationResult result = validate(Map.of());
    assertThat(result).isInstanceOfSatisfying(ValidationResult.Invalid.class, inv -> {
      assertThat(inv.errorCodes()).containsExactly("event.missing_field");
      assertThat(inv.violations()).extracting(Violation::field).containsExactly(
          "eventId", "orgId", "occurredAt", "modelId", "inputTokens", "outputTokens", "latencyMs", "status");
    });
  }

  @ParameterizedTest
  @CsvSource({
      "orgId, 1-1-1-1-1, event.invalid_org_id",
      "status, SUCCESS, event.invalid_status",
      "inputTokens, 10000001, event.invalid_tokens",
      "latencyMs, 99999999999, event.invalid_latency",
      "region, '', event.invalid_attribute",
      "eventId, " + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, event.invalid_event_id",
  })
  void rejectsOneBadField(String field, String value, String code) {
    Map<String, String> f = appendixEvent();
    f.put(field, value);
    assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Invalid.class,
        inv -> assertThat(inv.errorCodes()).containsExactly(code));
  }

  @Test
  void occurredAtMustLieInTheEventTimeWindow() {
    Map<String, String> f = appendixEvent();
    f.put("occurredAt", NOW.plus(Duration.ofMinutes(5)).toString());
    assertThat(validate(f).isValid()).isTrue();
    f.put("occurredAt", NOW.plus(Duration.ofMinutes(5)).plusMillis(1).toString());
    assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Invalid.class,
        inv -> assertThat(inv.errorCodes()).containsExactly("event.in_future"));
    f.put("occurredAt", NOW.minus(Duration.ofDays(400)).toString());
    assertThat(validate(f).isValid()).isTrue();
    f.put("occurredAt", NOW.minus(Duration.ofDays(400)).minusMillis(1).toString());
    assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Invalid.class,
        inv -> assertThat(inv.errorCodes()).containsExactly("event.too_old"));
    for (String far : List.of("1600-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z")) {
      f.put("occurredAt", far);
      assertThat(validate(f)).isInstanceOfSatisfying(ValidationResult.Invalid.class,
          inv -> assertThat(inv.errorCodes()).containsExactly(far.startsWith("+") ? "event.in_future"
              : "event.too_old"));
    }
  }

  @Test
  void theEventTimeWindowIsConfigurable() {
    Map<String, String> f = appendixEvent();
    f.put("occurredAt", NOW.plus(Duration.ofMinutes(30)).toString());
    UsageEventValidator lenient = UsageEventValidator.builder()
        .eventTimeWindow(new EventTimeWindow(Duration.ofDays(3650), Duration.ofHours(1))).build();
    assertThat(lenient.validate(UsageEventCandidate.fromWireFields(f, Optional.empty()), NOW).isValid()).isTrue();
    f.put("occurredAt", "2017-01-01T00:00:00Z");
    assertThat(lenient.validate(UsageEventCandidate.fromWireFields(f, Optional.empty()), NOW).isValid()).isTrue();
  }

  @Test
  void roundTripsThroughTheCandidateForm() {
    UsageEvent event = ((ValidationResult.Valid) validate(appendixEvent())).event();
    assertThat(validator.validate(UsageEventCandidate.fromEvent(event), NOW))
        .isEqualTo(new ValidationResult.Valid(event));
  }

  @Test
  void aTypedEventIsCheckedAgainstTheLimitsAndTheWindowWithTheWireCodes() {
    Instant now = Instant.parse("2026-11-03T12:00:00Z");
    java.util.UUID org = java.util.UUID.fromString("00000000-0000-0000-0000-000000000001");
    UsageEventValidator validator = UsageEventValidator.builder().maxTokens(1_000).build();
    UsageEvent ok = UsageEvent.builder("t-1", org, now.minusSeconds(60), "m").tokens(1_000, 0).build();
    assertThat(validator.validate(ok, now)).isEqualTo(new ValidationResult.Valid(ok));
    UsageEvent bad = UsageEvent.builder("t-2", org, now.plus(Duration.ofHours(1)), "m").tokens(1_001, 0).build();
    ValidationResult result = validator.validate(bad, now);
    assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
    assertThat(((ValidationResult.Invalid) result).violations()).extracting(Violation::field)
        .containsExactly("occurredAt", "inputTokens");
  }
}
