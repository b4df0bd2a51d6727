package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.OrgScope;
import io.tally.analytics.core.rbac.TenantScope;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Test actors for use-case and adapter tests. */
public final class Actors {
  private Actors() {}

  /** @return an {@code admin} member of exactly these organisations */
  public static Actor adminOf(String... orgs) {
    return new Actor("admin@" + String.join(",", orgs), Set.of("admin"), orgs(orgs), Set.of(), false);
  }

  /** @return an admin of one organisation */
  public static Actor adminOf(UUID org) {
    return adminOf(org.toString());
  }

  /** @return an {@code admin} member of exactly these AN-01 tenants */
  public static Actor adminOfTenants(String... tenants) {
    return new Actor("admin@" + String.join(",", tenants), Set.of("admin"), Set.of(), tenants(tenants), false);
  }

  /** @return an actor with these roles, member of one organisation */
  public static Actor withRoles(String org, String... roles) {
    return new Actor("user@" + org, Set.of(roles), orgs(org), Set.of(), false);
  }

  /** @return an actor with these roles, member of one AN-01 tenant */
  public static Actor tenantMember(String tenant, String... roles) {
    return new Actor("user@" + tenant, Set.of(roles), Set.of(), tenants(tenant), false);
  }

  /** @return an actor with exactly one permission (wire name) on one organisation */
  public static Actor withPermission(String permission, UUID org) {
    return withRoles(org.toString(), permission);
  }

  /** @return a platform operator ({@code X-Actor-Orgs: *}) with these roles */
  public static Actor operator(String... roles) {
    return new Actor("operator", Set.of(roles), Set.of(), Set.of(), true);
  }

  /** @return the platform-wide system actor the stream consumer and workers use */
  public static Actor system() {
    return new Actor("system", Set.of("admin"), Set.of(), Set.of(), true);
  }

  /** @return the organisation memberships for these ids */
  public static Set<OrgScope> orgs(String... ids) {
    return Arrays.stream(ids).map(OrgScope::new).collect(Collectors.toUnmodifiableSet());
  }

  /** @return the tenant memberships for these ids */
  public static Set<TenantScope> tenants(String... ids) {
    return Arrays.stream(ids).map(TenantScope::new).collect(Collectors.toUnmodifiableSet());
  }
}
