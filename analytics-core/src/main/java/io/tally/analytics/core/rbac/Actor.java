package io.tally.analytics.core.rbac;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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

  /**
   * A service of the embedding application acting for some organisations: it may write their usage events and
   * read their usage and reliability (roles {@link Roles#INGESTOR} and {@link Roles#VIEWER}), and nothing of any
   * other organisation.
   *
   * @param name the service, e.g. {@code "gateway"}; its audit subject is {@code service:<name>}
   * @param orgs the organisations it acts for, at least one
   * @return the actor
   */
  public static Actor service(String name, UUID... orgs) {
    if (orgs.length == 0) {
      throw new IllegalArgumentException("a service acts for at least one organisation");
    }
    Set<OrgScope> scopes = Arrays.stream(orgs).map(o -> new OrgScope(o.toString())).collect(Collectors.toSet());
    return new Actor("service:" + name, Set.of(Roles.INGESTOR, Roles.VIEWER), scopes, Set.of(), false);
  }

  /**
   * The platform-wide identity of background work (the rollup worker, the stream consumer, an operator's CLI):
   * every permission on every organisation, tenant and the platform.
   *
   * @param name what runs, e.g. {@code "rollup"}; its audit subject is {@code system:<name>}
   * @return the actor
   */
  public static Actor system(String name) {
    return new Actor("system:" + name, Set.of(Roles.ADMIN), Set.of(), Set.of(), true);
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
