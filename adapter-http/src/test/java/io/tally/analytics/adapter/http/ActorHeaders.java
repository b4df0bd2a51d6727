package io.tally.analytics.adapter.http;

import java.util.HashMap;
import java.util.Map;

/** Request headers for tests of the trusted-headers mode, shared by the adapter's tests and the app's ITs. */
public final class ActorHeaders {
  private ActorHeaders() {}

  /** @return actor headers; {@code orgs} null leaves {@code X-Actor-Orgs} out */
  public static Map<String, String> actor(String subject, String roles, String orgs) {
    Map<String, String> h = new HashMap<>();
    h.put("X-Actor-Subject", subject);
    h.put("X-Actor-Roles", roles);
    if (orgs != null) {
      h.put("X-Actor-Orgs", orgs);
    }
    return h;
  }

  /** @return {@code base} plus the given header pairs */
  public static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> h = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      h.put(pairs[i], pairs[i + 1]);
    }
    return h;
  }
}
