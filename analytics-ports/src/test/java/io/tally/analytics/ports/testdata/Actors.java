package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.rbac.Actor;
import java.util.Set;
import java.util.UUID;

/** Test actors for use-case and adapter tests. */
public final class Actors {
  private Actors() {}

  /** @return an {@code admin} scoped to exactly these orgs/tenants */
  public static Actor adminOf(String... scopes) {
    return new Actor("admin@" + String.join(",", scopes), Set.of("admin"), Set.of(scopes), false);
  }

  /** @return an admin of one organisation */
  public static Actor adminOf(UUID org) {
    return adminOf(org.toString());
  }

  /** @return an actor with these roles, scoped to one org/tenant */
  public static Actor withRoles(String scope, String... roles) {
    return new Actor("user@" + scope, Set.of(roles), Set.of(scope), false);
  }

  /** @return an actor with exactly one permission (wire name) on one organisation */
  public static Actor withPermission(String permission, UUID org) {
    return withRoles(org.toString(), permission);
  }

  /** @return a platform operator ({@code X-Actor-Orgs: *}) with these roles */
  public static Actor operator(String... roles) {
    return new Actor("operator", Set.of(roles), Set.of(), true);
  }

  /** @return the platform-wide system actor the stream consumer and workers use */
  public static Actor system() {
    return new Actor("system", Set.of("admin"), Set.of(), true);
  }
}
