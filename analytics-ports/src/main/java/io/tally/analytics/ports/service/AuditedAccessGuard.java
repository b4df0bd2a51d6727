package io.tally.analytics.ports.service;

import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.rbac.AccessDecision;
import io.tally.analytics.core.rbac.AccessDeniedException;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;

/**
 * The {@link AccessGuard} every use case uses: evaluates the {@link AccessPolicy}, appends the decision (allowed
 * and denied alike) to the {@link AuditLog}, then throws {@link AccessDeniedException} for a denial. Auditing comes
 * first so that a denial is on record even if the caller swallows the exception. If the audit append fails the
 * request fails too: an unaudited allow is not allowed.
 */
public final class AuditedAccessGuard implements AccessGuard {
  private final AccessPolicy policy;
  private final AuditLog auditLog;
  private final TimeSource time;

  /**
   * @param policy the RBAC policy (usually {@link AccessPolicy#standard()})
   * @param auditLog where decisions go
   * @param time clock for the audit timestamp
   */
  public AuditedAccessGuard(AccessPolicy policy, AuditLog auditLog, TimeSource time) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public void require(Actor actor, Permission permission, ResourceScope scope, String action) {
    AccessDecision decision = policy.decide(actor, permission, scope);
    String scopeLabel = scope.label();
    if (decision instanceof AccessDecision.Deny deny) {
      auditLog.append(new AuditEntry(time.now(), actor.subject(), action, permission.wireName(), scopeLabel,
          AuditEntry.DENY, deny.errorCode() + ": " + deny.reason()));
      throw new AccessDeniedException(deny);
    }
    auditLog.append(new AuditEntry(time.now(), actor.subject(), action, permission.wireName(), scopeLabel,
        AuditEntry.ALLOW, decision.reason()));
  }
}
