package io.tally.analytics.core.rbac;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * RBAC plus object-level authorization (DESIGN §1.3) as a list of named rules; the first rejection wins.
 *
 * <p>The {@link #standard()} rules, in order:
 * <ol>
 *   <li>{@code role-grants-permission}: some role of the actor grants the permission, else {@code auth.forbidden};
 *   <li>{@code actor-has-scope}: the actor carries at least one org/tenant scope or is a platform operator, else
 *       {@code auth.no_org_scope} (the HTTP adapter adds which header or claim carries the scope);
 *   <li>{@code platform-scope-needs-operator}: a {@link ResourceScope.Kind#PLATFORM} target needs a platform
 *       operator, else {@code auth.cross_org};
 *   <li>{@code actor-scoped-to-target}: the actor belongs to the targeted org or tenant (platform operators
 *       always do), else {@code auth.cross_org}. This is what stops the admin of org A acting on org B, and an
 *       organisation membership from granting the tenant of the same id ({@link Actor#isMemberOf}).
 * </ol>
 */
public final class AccessPolicy {
  private final List<AccessRule> rules;

  /** @param rules evaluated in order; the first rejection wins */
  public AccessPolicy(List<AccessRule> rules) {
    this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
  }

  /** @return the policy every Tally deployment uses */
  public static AccessPolicy standard() {
    return new AccessPolicy(List.of(
        rule("role-grants-permission", AccessPolicy::roleGrantsPermission),
        rule("actor-has-scope", AccessPolicy::actorHasScope),
        rule("platform-scope-needs-operator", AccessPolicy::platformNeedsOperator),
        rule("actor-scoped-to-target", AccessPolicy::actorScopedToTarget)));
  }

  /** @return every rule, in evaluation order */
  public List<AccessRule> allRules() {
    return rules;
  }

  /**
   * @param actor the caller
   * @param permission what it wants
   * @param scope on what
   * @return allow, or the first rule's rejection
   */
  public AccessDecision decide(Actor actor, Permission permission, ResourceScope scope) {
    AccessRequest request = new AccessRequest(actor, permission, scope);
    for (AccessRule rule : rules) {
      Optional<AccessDecision.Deny> deny = rule.check(request);
      if (deny.isPresent()) {
        return deny.get();
      }
    }
    String via = Roles.grantingRole(actor.roles(), permission).orElse("policy");
    return new AccessDecision.Allow("role " + via + " grants " + permission.wireName() + " on " + scope.label());
  }

  private static Optional<AccessDecision.Deny> roleGrantsPermission(AccessRequest r) {
    if (Roles.grantingRole(r.actor().roles(), r.permission()).isPresent()) {
      return Optional.empty();
    }
    return deny(AccessDecision.FORBIDDEN, "Missing permission " + r.permission().wireName() + ".");
  }

  private static Optional<AccessDecision.Deny> actorHasScope(AccessRequest r) {
    if (r.actor().platformOperator() || r.actor().hasAnyScope()) {
      return Optional.empty();
    }
    return deny(AccessDecision.NO_ORG_SCOPE, "The caller has no organisation scope: its identity must list the"
        + " organisations/tenants it acts on, or * for a platform operator.");
  }

  private static Optional<AccessDecision.Deny> platformNeedsOperator(AccessRequest r) {
    if (r.scope().kind() != ResourceScope.Kind.PLATFORM || r.actor().platformOperator()) {
      return Optional.empty();
    }
    return deny(AccessDecision.CROSS_ORG, "Platform-wide access requires a platform operator (organisations: *).");
  }

  private static Optional<AccessDecision.Deny> actorScopedToTarget(AccessRequest r) {
    if (r.scope().kind() == ResourceScope.Kind.PLATFORM || r.actor().isMemberOf(r.scope())) {
      return Optional.empty();
    }
    return deny(AccessDecision.CROSS_ORG, "The caller is not a member of " + r.scope().label() + ".");
  }

  private static Optional<AccessDecision.Deny> deny(String code, String reason) {
    return Optional.of(new AccessDecision.Deny(code, reason));
  }

  private static AccessRule rule(String name, java.util.function.Function<AccessRequest,
      Optional<AccessDecision.Deny>> check) {
    return new NamedRule(name, check);
  }

  private record NamedRule(String name, java.util.function.Function<AccessRequest,
      Optional<AccessDecision.Deny>> test) implements AccessRule {
    @Override
    public Optional<AccessDecision.Deny> check(AccessRequest request) {
      return test.apply(request);
    }
  }
}
