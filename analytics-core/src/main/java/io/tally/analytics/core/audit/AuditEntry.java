package io.tally.analytics.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One authorization decision, before it is chained: what an {@code AuditLog} is asked to append.
 *
 * @param at when the decision was made
 * @param actorSubject who asked
 * @param action short label such as {@code usage.query}
 * @param permission wire name of the permission
 * @param scope target as {@code org:<id>}, {@code tenant:<id>} or {@code platform:*}
 * @param decision {@code allow} or {@code deny}
 * @param reason the policy's reason (for a denial, prefixed by its error code)
 */
public record AuditEntry(Instant at, String actorSubject, String action, String permission, String scope,
    String decision, String reason) {

  /** Decision value for a granted request. */
  public static final String ALLOW = "allow";
  /** Decision value for a refused request. */
  public static final String DENY = "deny";

  /** Validates. */
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actorSubject, "actorSubject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(reason, "reason");
    if (!ALLOW.equals(decision) && !DENY.equals(decision)) {
      throw new IllegalArgumentException("decision must be allow or deny");
    }
  }
}
