package io.tally.analytics.core.rbac;

import java.util.Objects;

/**
 * One authorization question: may this actor use this permission on this object?
 *
 * @param actor the caller
 * @param permission what it wants to do
 * @param scope the organisation, tenant or platform it wants to do it on
 */
public record AccessRequest(Actor actor, Permission permission, ResourceScope scope) {
  /** Rejects nulls. */
  public AccessRequest {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(scope, "scope");
  }
}
