package io.tally.analytics.app;

import io.tally.analytics.core.rbac.Actor;

/** The identity background work (rollup worker, seed, verify) acts and is audited as. */
final class SystemActor {
  private SystemActor() {}

  /** @return a platform-wide admin named {@code system:tally} */
  static Actor get() {
    return Actor.system("tally");
  }
}
