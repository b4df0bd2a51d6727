package io.tally.analytics.core.rbac;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: who it is, which roles it holds, and which organisations and tenants it belongs to.
 * Organisation and tenant memberships are typed apart ({@link OrgScope}, {@link TenantScope}), so a check on one
 * kind never matches the other by equal text.
 *
 * @param subject stable identity from the token or {@code X-Actor-Subject}; never blank
 * @param roles role names, for example {@code admin} or {@code analytics:usage:read} granted directly
 * @param orgs the organisations the actor belongs to
 * @param tenants the AN-01 tenants the actor belongs to
 * @param platformOperator true only when the caller was explicitly given platform-wide scope ({@code *})
 */
public record Actor(String subject, Set<String> roles, Set<OrgScope> orgs, Set<TenantScope> tenants,
    boolean platformOperator) {

  /** Validates and defensively copies. */
  public Actor {
    Objects.requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    orgs = Set.copyOf(Objects.requireNonNull(orgs, "orgs"));
    tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
  }

  /** @return true when the actor belongs to at least one organisation or tenant */
  public boolean hasAnyScope() {
    return !orgs.isEmpty() || !tenants.isEmpty();
  }

  /**
   * @param target an organisation, a tenant or the platform
   * @return true when the actor may act on it: a member of that organisation (or tenant), or a platform operator
   */
  public boolean isMemberOf(ResourceScope target) {
    return platformOperator || switch (target.kind()) {
      case ORG -> orgs.contains(new OrgScope(target.id()));
      case TENANT -> tenants.contains(new TenantScope(target.id()));
      case PLATFORM -> false;
    };
  }
}
