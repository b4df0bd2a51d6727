package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.rbac.Actor;
import java.util.Set;
import java.util.UUID;

/** Actors for use-case tests. */
public final class Actors {
  private Actors() {}

  /** @return an admin of one organisation */
  public static Actor adminOf(UUID org) {
    return new Actor("admin-" + org, Set.of("admin"), Set.of(org.toString()), false);
  }

  /** @return an actor with exactly one permission (wire name) on one organisation */
  public static Actor withPermission(String permission, UUID org) {
    return new Actor("user-" + org, Set.of(permission), Set.of(org.toString()), false);
  }

  /** @return the platform-wide system actor the stream consumer and workers use */
  public static Actor system() {
    return new Actor("system", Set.of("admin"), Set.of(), true);
  }
}
