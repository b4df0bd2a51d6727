package io.tally.analytics.app;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A connection URL ({@code DATABASE_URL}, {@code REDIS_URL}, {@code RABBITMQ_URL}) whose {@code toString} hides
 * the password in its user-info and any {@code password=} query parameter, so the config can be logged.
 *
 * @param value the URL as configured
 */
public record ServiceUrl(String value) {
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^:/@]*):[^@/]*@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");

  /** Validates. */
  public ServiceUrl {
    Objects.requireNonNull(value, "value");
  }

  /** @return the URL with credentials replaced by {@code ***} */
  public String redacted() {
    String hidden = USER_INFO_PASSWORD.matcher(value).replaceAll("$1:***@");
    return PASSWORD_PARAM.matcher(hidden).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return redacted();
  }
}
