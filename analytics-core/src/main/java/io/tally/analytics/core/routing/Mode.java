package io.tally.analytics.core.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The deployment mode a request runs in; it decides what a missing route means. */
public enum Mode {
  /** Multi-tenant SaaS: a missing route is a 503. */
  SAAS,
  /** Customer-hosted: a missing route is a 503. */
  ENTERPRISE,
  /** Platform-internal tenants: a missing route is a 503. */
  SYSTEM,
  /** Experiments: a missing route warns and stores nothing. */
  LAB;

  /** @return the lower-case wire name (saas, enterprise, system, lab) */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param wireName a mode's wire name, any case, surrounding blanks ignored
   * @return the mode, or empty when the value is null, blank or unknown (the driving adapter says which of its
   *     inputs was wrong)
   */
  public static Optional<Mode> fromWireName(String wireName) {
    if (wireName == null) {
      return Optional.empty();
    }
    String v = wireName.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.name().equals(v)).findFirst();
  }
}
