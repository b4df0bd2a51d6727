package io.tally.analytics.core.rbac;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Maps role names to the permissions they grant.
 *
 * <ul>
 *   <li>{@code admin}: every permission (within the actor's own orgs/tenants; object scope is checked separately).
 *   <li>a role named after a permission's wire name (for example {@code analytics:usage:read}) grants exactly
 *       that permission, so gateways can pass fine-grained grants without inventing role names.
 *   <li>{@code viewer}: read-only dashboards: usage, reliability, export status and AN-01 queries.
 *   <li>{@code analyst}: {@code viewer} plus creating and downloading exports.
 *   <li>{@code ingestor}: a service identity that writes usage events and AN-01 events, nothing else.
 * </ul>
 *
 * Unknown role names grant nothing (never an error: tokens may carry roles meant for other services).
 */
public final class Roles {
  /** The role that holds every permission. */
  public static final String ADMIN = "admin";
  /** Read-only role. */
  public static final String VIEWER = "viewer";
  /** Read plus exports. */
  public static final String ANALYST = "analyst";
  /** Write-only service role. */
  public static final String INGESTOR = "ingestor";

  private static final Set<Permission> VIEWER_GRANTS = EnumSet.of(
      Permission.USAGE_READ, Permission.RELIABILITY_READ, Permission.EXPORTS_READ, Permission.STORE_READ);

  private static final Map<String, Set<Permission>> NAMED = Map.of(
      ADMIN, EnumSet.allOf(Permission.class),
      VIEWER, VIEWER_GRANTS,
      ANALYST, union(VIEWER_GRANTS, EnumSet.of(Permission.EXPORTS_CREATE, Permission.EXPORTS_DOWNLOAD)),
      INGESTOR, EnumSet.of(Permission.EVENTS_WRITE, Permission.STORE_WRITE));

  private Roles() {}

  /**
   * @param role a role name as carried by a token or header
   * @return the permissions it grants; empty for an unknown role
   */
  public static Set<Permission> permissionsOf(String role) {
    Set<Permission> named = NAMED.get(role);
    if (named != null) {
      return Set.copyOf(named);
    }
    return Permission.fromWireName(role).map(Set::of).orElse(Set.of());
  }

  /**
   * @param roles the roles an actor holds
   * @param permission the permission asked for
   * @return the first role (in name order, for stable audit reasons) granting it, or empty
   */
  public static java.util.Optional<String> grantingRole(Set<String> roles, Permission permission) {
    return roles.stream().sorted().filter(r -> permissionsOf(r).contains(permission)).findFirst();
  }

  private static Set<Permission> union(Set<Permission> a, Set<Permission> b) {
    EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
    all.addAll(a);
    all.addAll(b);
    return all;
  }
}
