package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake {@link AccessGuard} for use-case tests: allows when the actor holds role {@code admin} or the
 * permission's wire name, and is scoped to the target (platform scope needs a platform operator); otherwise
 * throws {@code auth.forbidden} / {@code auth.cross_org}. Records every decision.
 */
public final class RecordingAccessGuard implements AccessGuard {
  /**
   * @param actor subject
   * @param permission permission asked
   * @param scope target
   * @param action audit label
   * @param allowed outcome
   */
  public record Decision(String actor, Permission permission, ResourceScope scope, String action,
      boolean allowed) {}

  private final List<Decision> decisions = new ArrayList<>();

  @Override
  public synchronized void require(Actor actor, Permission permission, ResourceScope scope, String action) {
    boolean permitted = actor.roles().contains("admin") || actor.roles().contains(permission.wireName());
    boolean scoped = scope.kind() == ResourceScope.Kind.PLATFORM ? actor.platformOperator()
        : actor.isMemberOf(scope);
    decisions.add(new Decision(actor.subject(), permission, scope, action, permitted && scoped));
    if (!permitted) {
      throw new TallyException(TallyException.Kind.FORBIDDEN, "auth.forbidden",
          actor.subject() + " lacks " + permission.wireName());
    }
    if (!scoped) {
      throw new TallyException(TallyException.Kind.FORBIDDEN, "auth.cross_org",
          actor.subject() + " may not act on " + scope.id());
    }
  }

  /** @return every decision so far, oldest first */
  public synchronized List<Decision> decisions() {
    return List.copyOf(decisions);
  }
}
