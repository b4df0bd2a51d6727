package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;
import java.util.Locale;

/** The deployment mode a request runs in, from the {@code X-Mode} header; it decides what a missing route means. */
public enum Mode {
  /** Multi-tenant SaaS: a missing route is a 503. */
  SAAS,
  /** Customer-hosted: a missing route is a 503. */
  ENTERPRISE,
  /** Platform-internal tenants: a missing route is a 503. */
  SYSTEM,
  /** Experiments: a missing route warns and stores nothing. */
  LAB;

  /** Error code for an unknown header value. */
  public static final String INVALID_MODE = "request.invalid_mode";

  /** @return the lower-case wire name, as sent in {@code X-Mode} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param headerValue the {@code X-Mode} value, any case, surrounding blanks ignored
   * @return the mode
   * @throws TallyException {@code request.invalid_mode} when the value is null, blank or unknown
   */
  public static Mode fromHeader(String headerValue) {
    if (headerValue != null) {
      String v = headerValue.trim().toUpperCase(Locale.ROOT);
      for (Mode m : values()) {
        if (m.name().equals(v)) {
          return m;
        }
      }
    }
    throw new TallyException(INVALID_MODE,
        "X-Mode must be one of saas, enterprise, system, lab (got " + headerValue + ").");
  }
}
