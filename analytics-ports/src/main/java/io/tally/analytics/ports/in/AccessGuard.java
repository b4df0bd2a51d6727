package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import java.util.List;

/**
 * Authorizes one action and audits the decision, allowed or denied. Every use case calls it before it acts.
 *
 * <p>Implementations evaluate the RBAC policy of {@code analytics-core} and append an audit record; a denial
 * is thrown as an {@code AccessDeniedException} (error code {@code auth.forbidden}, {@code auth.cross_org}
 * or {@code auth.no_org_scope}) after it has been audited.
 */
public interface AccessGuard {
  /**
   * @param actor the authenticated caller
   * @param permission what it wants to do
   * @param scope the organisation or tenant it wants to do it on
   * @param action a short label for the audit log, for example {@code usage.query}
   */
  void require(Actor actor, Permission permission, ResourceScope scope, String action);

  /**
   * Authorizes the same action on several scopes. Every decision is audited, also those after a denial; then the
   * first denial, in the given order, is thrown.
   *
   * @param actor the authenticated caller
   * @param permission what it wants to do
   * @param scopes the organisations or tenants, at least one
   * @param action a short label for the audit log
   */
  default void requireAll(Actor actor, Permission permission, List<ResourceScope> scopes, String action) {
    RuntimeException first = null;
    for (ResourceScope scope : scopes) {
      try {
        require(actor, permission, scope, action);
      } catch (RuntimeException denied) {
        first = first == null ? denied : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
