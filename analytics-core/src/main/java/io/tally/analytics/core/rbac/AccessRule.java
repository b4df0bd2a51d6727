package io.tally.analytics.core.rbac;

import java.util.Optional;

/** One named rule of an {@link AccessPolicy}: it either has no objection or rejects with a reason. */
public interface AccessRule {
  /** @return a stable, human-readable rule name, for documentation and tests */
  String name();

  /**
   * @param request the question
   * @return a denial, or empty when this rule has no objection
   */
  Optional<AccessDecision.Deny> check(AccessRequest request);
}
