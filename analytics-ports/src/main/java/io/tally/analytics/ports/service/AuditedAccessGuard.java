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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
    requireAll(actor, permission, List.of(scope), action);
  }

  /** Decides every scope, audits all decisions in one {@link AuditLog#appendAll}, then throws the first denial. */
  @Override
  public void requireAll(Actor actor, Permission permission, List<ResourceScope> scopes, String action) {
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope to authorize");
    }
    Instant now = time.now();
    List<AuditEntry> entries = new ArrayList<>(scopes.size());
    Optional<AccessDecision.Deny> firstDenial = Optional.empty();
    for (ResourceScope scope : scopes) {
      AccessDecision decision = policy.decide(actor, permission, scope);
      if (decision instanceof AccessDecision.Deny deny) {
        entries.add(new AuditEntry(now, actor.subject(), action, permission.wireName(), scope.label(),
            AuditEntry.DENY, deny.errorCode() + ": " + deny.reason()));
        firstDenial = firstDenial.or(() -> Optional.of(deny));
      } else {
        entries.add(new AuditEntry(now, actor.subject(), action, permission.wireName(), scope.label(),
            AuditEntry.ALLOW, decision.reason()));
      }
    }
    auditLog.appendAll(entries);
    if (firstDenial.isPresent()) {
      throw new AccessDeniedException(firstDenial.get());
    }
  }
}
