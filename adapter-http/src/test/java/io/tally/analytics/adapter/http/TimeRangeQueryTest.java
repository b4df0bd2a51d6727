package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.in.Granularity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeRangeQueryTest {
  static TimeRangeQuery parse(String start, String end, String granularity) {
    return TimeRangeQuery.parse(start, end, Optional.ofNullable(granularity), Granularity.DAILY, Map.of());
  }

  static String codeOf(Runnable r) {
    try {
      r.run();
      return "none";
    } catch (RequestRejectedException e) {
      return e.errorCode();
    }
  }

  @Test
  void parsesRfc3339WithOffsets() {
    TimeRangeQuery q = parse("2025-11-01T00:00:00Z", "2025-11-02T02:00:00+02:00", "hourly");
    assertThat(q.start()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
    assertThat(q.end()).isEqualTo(Instant.parse("2025-11-02T00:00:00Z"));
    assertThat(q.granularity()).isEqualTo(Granularity.HOURLY);
  }

  @Test
  void absentGranularityUsesTheDefault() {
    assertThat(parse("2025-11-01T00:00:00Z", "2025-11-02T00:00:00Z", null).granularity())
        .isEqualTo(Granularity.DAILY);
  }

  @Test
  void startNotBeforeEndIsInvalidRange() {
    assertThat(codeOf(() -> parse("2025-11-02T00:00:00Z", "2025-11-01T00:00:00Z", "daily")))
        .isEqualTo("request.invalid_range");
    assertThat(codeOf(() -> parse("2025-11-01T00:00:00Z", "2025-11-01T00:00:00Z", "daily")))
        .isEqualTo("request.invalid_range");
  }

  @Test
  void unknownGranularity() {
    assertThat(codeOf(() -> parse("2025-11-01T00:00:00Z", "2025-11-02T00:00:00Z", "weekly")))
        .isEqualTo("request.invalid_granularity");
  }

  @Test
  void rangeTooLargeForHourly() {
    assertThat(codeOf(() -> parse("2025-01-01T00:00:00Z", "2025-02-01T00:00:01Z", "hourly")))
        .isEqualTo("request.range_too_large");
    assertThat(codeOf(() -> parse("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z", "hourly"))).isEqualTo("none");
    assertThat(codeOf(() -> parse("2025-01-01T00:00:00Z", "2025-02-01T00:00:01Z", "daily"))).isEqualTo("none");
  }

  @Test
  void badTimestampsAndMissingOnes() {
    assertThat(codeOf(() -> parse("2025-11-01", "2025-11-02T00:00:00Z", "daily"))).isEqualTo("request.invalid_time");
    assertThat(codeOf(() -> parse("2025-11-01T00:00:00", "2025-11-02T00:00:00Z", "daily")))
        .isEqualTo("request.invalid_time");
    assertThat(codeOf(() -> parse(null, "2025-11-02T00:00:00Z", "daily"))).isEqualTo("request.missing_parameter");
  }

  @Test
  void everyRefusalIsMalformedThatIs400() {
    for (Runnable bad : new Runnable[] {() -> parse("2025-11-02T00:00:00Z", "2025-11-01T00:00:00Z", "daily"),
        () -> parse("2025-11-01", "2025-11-02T00:00:00Z", "daily"), () -> parse(null, "2025-11-02T00:00:00Z", "daily"),
        () -> PageSize.parse("0", 50, 1000)}) {
      try {
        bad.run();
        throw new AssertionError("expected a refusal");
      } catch (RequestRejectedException e) {
        assertThat(ErrorResponses.from(e, "r").error().statusCode()).as(e.errorCode()).isEqualTo(400);
      }
    }
  }

  @Test
  void pageSizeWithinBounds() {
    assertThat(PageSize.parse(null, 50, 1000)).isEqualTo(50);
    assertThat(PageSize.parse("1000", 50, 1000)).isEqualTo(1000);
    assertThat(codeOf(() -> PageSize.parse("1001", 50, 1000))).isEqualTo("request.invalid_limit");
    assertThat(codeOf(() -> PageSize.parse("0", 50, 1000))).isEqualTo("request.invalid_limit");
    assertThat(codeOf(() -> PageSize.parse("ten", 50, 1000))).isEqualTo("request.invalid_limit");
  }
}
