package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.in.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code start}/{@code end}/{@code granularity} triple from query parameters: RFC 3339 instants in
 * the years 0001-9999,
 * {@code start} inclusive and {@code end} exclusive, and a span no longer than the granularity allows, so one
 * request cannot ask for millions of buckets (OWASP API4).
 *
 * @param start first instant included
 * @param end first instant excluded; after {@code start}
 * @param granularity bucket size
 */
record TimeRangeQuery(Instant start, Instant end, Granularity granularity) {

  /** Default maximum spans: 31 days of hourly buckets (744), about 3 years of daily buckets (1,100). */
  public static final Map<Granularity, Duration> DEFAULT_MAX_SPAN = Map.of(
      Granularity.HOURLY, Duration.ofDays(31),
      Granularity.DAILY, Duration.ofDays(1_100));

  /** Validates. */
  public TimeRangeQuery {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(granularity, "granularity");
    if (!start.isBefore(end)) {
      throw new RequestRejectedException("request.invalid_range", "start must be before end");
    }
  }

  /**
   * @param start the {@code start} parameter
   * @param end the {@code end} parameter
   * @param granularity the {@code granularity} parameter; absent means {@code defaultGranularity}
   * @param defaultGranularity used when the parameter is absent
   * @param maxSpan longest allowed span per granularity
   * @return the validated range
   * @throws RequestRejectedException {@code request.invalid_time}, {@code request.invalid_range},
   *     {@code request.invalid_granularity} or {@code request.range_too_large} (all 400)
   */
  public static TimeRangeQuery parse(String start, String end, Optional<String> granularity,
      Granularity defaultGranularity, Map<Granularity, Duration> maxSpan) {
    Instant from = instant("start", start);
    Instant to = instant("end", end);
    Granularity g = granularity.filter(s -> !s.isEmpty())
        .map(s -> Granularity.fromWireName(s.toLowerCase(Locale.ROOT))
            .orElseThrow(() -> new RequestRejectedException(
                "request.invalid_granularity", "granularity must be hourly or daily")))
        .orElse(defaultGranularity);
    TimeRangeQuery range = new TimeRangeQuery(from, to, g);
    Duration limit = maxSpan.getOrDefault(g, DEFAULT_MAX_SPAN.get(g));
    if (Duration.between(from, to).compareTo(limit) > 0) {
      throw new RequestRejectedException("request.range_too_large",
          "a " + g.wireName() + " query may span at most " + limit.toDays() + " days");
    }
    return range;
  }

  /** @return the span of the range */
  public Duration span() {
    return Duration.between(start, end);
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new RequestRejectedException("request.missing_parameter", name + " is required (RFC 3339)");
    }
    return QueryText.parseInstant(name, value);
  }
}
