package io.tally.analytics.adapter.redis;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A watermark as Redis stores it: {@code <epochSecond>.<nanos, 9 digits>}, for example
 * {@code 1790812800.123000000}. Exact to the nanosecond (epoch millis would round a PostgreSQL microsecond
 * watermark), readable in {@code redis-cli}, and ordered by the two integers the Lua put script compares
 * (a Lua number is a double, too narrow for epoch nanos as one number).
 */
final class WatermarkEncoding {
  private static final Pattern FORMAT = Pattern.compile("(-?\\d{1,19})\\.(\\d{9})");

  private WatermarkEncoding() {}

  static String encode(Instant at) {
    return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
  }

  /** @return the instant, empty when the text is not in this format or out of {@link Instant}'s range */
  static Optional<Instant> decode(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
