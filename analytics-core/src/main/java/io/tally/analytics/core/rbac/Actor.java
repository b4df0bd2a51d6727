package io.tally.analytics.core.rbac;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: who it is, which roles it holds and which organisations (or tenants) it may act on.
 *
 * @param subject stable identity from the token or {@code X-Actor-Subject}; never blank
 * @param roles role names, for example {@code admin} or {@code analytics:usage:read} granted directly
 * @param scopes organisation ids or tenant ids the actor belongs to; empty means no object scope at all
 * @param platformOperator true only when the caller was explicitly given platform-wide scope ({@code *})
 */
public record Actor(String subject, Set<String> roles, Set<String> scopes, boolean platformOperator) {

  /** Validates and defensively copies. */
  public Actor {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
  }

  /** @return true when the actor may act on the given organisation or tenant id */
  public boolean isScopedTo(String scopeId) {
    return platformOperator || scopes.contains(scopeId);
  }
}
