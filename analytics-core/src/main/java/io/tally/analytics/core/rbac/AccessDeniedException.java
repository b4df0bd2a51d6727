package io.tally.analytics.core.rbac;

import io.tally.analytics.core.TallyException;

/**
 * Thrown after a denial has been audited; its error code is the decision's ({@code auth.forbidden},
 * {@code auth.cross_org} or {@code auth.no_org_scope}), which the HTTP layer maps to 403.
 */
public class AccessDeniedException extends TallyException {
  private static final long serialVersionUID = 1L;

  private final transient AccessDecision.Deny decision;

  /** @param decision the denial being raised */
  public AccessDeniedException(AccessDecision.Deny decision) {
    super(Kind.FORBIDDEN, decision.errorCode(), decision.reason());
    this.decision = decision;
  }

  /** @return the denial, for callers that want the structured reason */
  public AccessDecision.Deny decision() {
    return decision;
  }
}
