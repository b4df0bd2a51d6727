package io.tally.analytics.app;

import java.util.Map;

/** {@code AUTH_MODE}: how callers are identified (DESIGN.md §1.3). */
public enum AuthMode {
  /** {@code X-Actor-*} headers from loopback or a trusted proxy. */
  TRUSTED_HEADERS,
  /** Bearer JWTs verified against configured keys. */
  JWT;

  static final Map<String, AuthMode> BY_NAME = Map.of("trusted-headers", TRUSTED_HEADERS, "jwt", JWT);
}
