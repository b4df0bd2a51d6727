package io.tally.analytics.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed, validating lookups of environment variables; every failure names the variable and what is allowed. */
final class ConfigReader {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|b|kb|kib|mb|mib|gb|gib)");

  private final Map<String, String> env;

  ConfigReader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** @return the trimmed value, empty when unset or blank */
  Optional<String> optional(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  String string(String name, String defaultValue, Pattern allowed, String allowedText) {
    String value = optional(name).orElse(defaultValue);
    if (!allowed.matcher(value).matches()) {
      throw new ConfigException(name, "'" + value + "' is not allowed; expected " + allowedText);
    }
    return value;
  }

  int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(name, "'" + raw.get() + "' is not allowed; expected an integer " + min + ".." + max);
  }

  boolean bool(String name, boolean defaultValue) {
    Optional<String> raw = optional(name).map(v -> v.toLowerCase(Locale.ROOT));
    if (raw.isEmpty()) {
      return defaultValue;
    }
    if (Set.of("true", "1", "yes", "on").contains(raw.get())) {
      return true;
    }
    if (Set.of("false", "0", "no", "off").contains(raw.get())) {
      return false;
    }
    throw new ConfigException(name, "'" + raw.get() + "' is not allowed; expected true or false");
  }

  <E extends Enum<E>> E choice(String name, E defaultValue, Map<String, E> allowed) {
    Optional<String> raw = optional(name).map(v -> v.toLowerCase(Locale.ROOT));
    if (raw.isEmpty()) {
      return defaultValue;
    }
    E value = allowed.get(raw.get());
    if (value == null) {
      throw new ConfigException(name, "'" + raw.get() + "' is not allowed; expected one of "
          + String.join("|", new java.util.TreeSet<>(allowed.keySet())));
    }
    return value;
  }

  /** ISO-8601 ({@code PT24H}, {@code P1D}) or a number with a unit ({@code 500ms}, {@code 10s}, {@code 24h}). */
  Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration value = parseDuration(raw.get());
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(name, "'" + raw.get() + "' is not allowed; expected a duration from "
          + human(min) + " to " + human(max) + " such as 10s, 24h or PT24H");
    }
    return value;
  }

  /** Bytes as a plain number or with a unit: {@code 5MB}, {@code 512KiB} (units are powers of 1024). */
  long bytes(String name, long defaultValue, long min, long max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Matcher m = SIZE.matcher(raw.get().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long multiplier = switch (m.group(2)) {
        case "kb", "kib" -> 1L << 10;
        case "mb", "mib" -> 1L << 20;
        case "gb", "gib" -> 1L << 30;
        default -> 1L;
      };
      long value = Long.parseLong(m.group(1)) * multiplier;
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw new ConfigException(name, "'" + raw.get() + "' is not allowed; expected a size from " + min + " to "
        + max + " bytes, e.g. 5MB or 1048576");
  }

  private static Duration parseDuration(String text) {
    Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    if (d.toSeconds() < 3600 || d.toSeconds() % 3600 != 0) {
      return d.toSeconds() + "s";
    }
    return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
  }
}
