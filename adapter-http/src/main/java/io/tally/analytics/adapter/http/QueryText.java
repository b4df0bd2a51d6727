package io.tally.analytics.adapter.http;

import io.javalin.http.Context;
import io.tally.analytics.core.time.InstantBounds;
import java.time.Instant;
import java.util.Optional;

/**
 * Optional query parameters as values: an empty parameter ({@code utm_source=}) counts as absent, and instants
 * must be RFC 3339 with an offset in the years 0001-9999 ({@link InstantBounds}; {@code request.invalid_time}, 400).
 */
final class QueryText {
  /** Error code of an instant that is not RFC 3339 with an offset, or outside the years 0001-9999. */
  public static final String INVALID_TIME = "request.invalid_time";

  private QueryText() {}

  /** @return the first value of the parameter, empty when absent or empty */
  public static Optional<String> optional(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isEmpty());
  }

  /**
   * @return the parameter
   * @throws RequestRejectedException {@code request.missing_parameter} when absent
   */
  public static String required(Context ctx, String name) {
    return optional(ctx, name).orElseThrow(() -> new RequestRejectedException("request.missing_parameter",
        name + " is required"));
  }

  /**
   * @return the parameter as an instant, empty when absent
   * @throws RequestRejectedException {@code request.invalid_time} when not RFC 3339 with an offset
   */
  public static Optional<Instant> instant(Context ctx, String name) {
    return optional(ctx, name).map(v -> parseInstant(name, v));
  }

  /**
   * @param name the field or parameter, for the message
   * @param value RFC 3339 text with an offset, for example {@code 2025-11-01T00:00:00Z}
   * @return the instant
   * @throws RequestRejectedException {@code request.invalid_time}
   */
  public static Instant parseInstant(String name, String value) {
    return InstantBounds.parse(value).orElseThrow(() -> new RequestRejectedException(INVALID_TIME,
        InstantBounds.describe(name)));
  }
}
