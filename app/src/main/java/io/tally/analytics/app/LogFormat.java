package io.tally.analytics.app;

import java.util.Locale;

/**
 * {@code LOG_FORMAT=json|text}: which logback appender the process logs through. Unset, a terminal gets text and
 * anything else (a file, a pipe, a container's log collector) gets one JSON object per line. Read before the first
 * logger exists, so a bad value falls back to JSON here and {@link TallyConfig} reports it as a configuration error.
 */
final class LogFormat {
  private LogFormat() {}

  /** @return the appender name logback.xml refers to: {@code JSON} or {@code TEXT} */
  static String choose(String configured, boolean terminal) {
    String value = configured == null ? "" : configured.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "text" -> "TEXT";
      case "json" -> "JSON";
      case "" -> terminal ? "TEXT" : "JSON";
      default -> "JSON";
    };
  }
}
