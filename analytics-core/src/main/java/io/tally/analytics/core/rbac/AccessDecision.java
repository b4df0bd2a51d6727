package io.tally.analytics.core.rbac;

import java.util.Objects;

/** The outcome of an {@link AccessPolicy}: a value, so it can be audited before anything is thrown. */
public sealed interface AccessDecision permits AccessDecision.Allow, AccessDecision.Deny {

  /** Error code: the actor holds no role granting the permission. */
  String FORBIDDEN = "auth.forbidden";
  /** Error code: the actor is not scoped to the organisation or tenant it targets. */
  String CROSS_ORG = "auth.cross_org";
  /** Error code: the actor carries no organisation scope at all and is not a platform operator. */
  String NO_ORG_SCOPE = "auth.no_org_scope";

  /** @return why the decision was made, written to the audit log */
  String reason();

  /** @return true for {@link Allow} */
  default boolean allowed() {
    return this instanceof Allow;
  }

  /**
   * Access granted.
   *
   * @param reason which role granted it and on what scope
   */
  record Allow(String reason) implements AccessDecision {
    /** Rejects null. */
    public Allow {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Access refused.
   *
   * @param errorCode one of {@link #FORBIDDEN}, {@link #CROSS_ORG}, {@link #NO_ORG_SCOPE}
   * @param reason message safe to show the caller
   */
  record Deny(String errorCode, String reason) implements AccessDecision {
    /** Rejects nulls. */
    public Deny {
      Objects.requireNonNull(errorCode, "errorCode");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
