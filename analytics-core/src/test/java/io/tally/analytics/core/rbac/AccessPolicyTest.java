package io.tally.analytics.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private final AccessPolicy policy = AccessPolicy.standard();

  private static Actor actor(Set<String> roles, Set<String> orgs) {
    return new Actor("alice", roles, orgs.stream().map(OrgScope::new).collect(Collectors.toSet()), Set.of(), false);
  }

  @Test
  void adminOfOrgAIsAllowedOnOrgA() {
    AccessDecision d = policy.decide(actor(Set.of("admin"), Set.of("org-a")), Permission.USAGE_READ,
        ResourceScope.org("org-a"));
    assertThat(d).isInstanceOf(AccessDecision.Allow.class);
    assertThat(d.reason()).contains("admin").contains("analytics:usage:read").contains("org:org-a");
  }

  @Test
  void adminOfOrgAIsDeniedOnOrgB() {
    AccessDecision d = policy.decide(actor(Set.of("admin"), Set.of("org-a")), Permission.USAGE_READ,
        ResourceScope.org("org-b"));
    assertThat(d).isEqualTo(new AccessDecision.Deny("auth.cross_org", d.reason()));
    assertThat(d.reason()).contains("org:org-b");
  }

  @Test
  void missingPermissionIsForbidden() {
    AccessDecision d = policy.decide(actor(Set.of("viewer"), Set.of("org-a")), Permission.EXPORTS_CREATE,
        ResourceScope.org("org-a"));
    assertThat(((AccessDecision.Deny) d).errorCode()).isEqualTo("auth.forbidden");
    assertThat(d.reason()).contains("analytics:exports:create");
  }

  @Test
  void roleNamedAfterAPermissionGrantsExactlyThatPermission() {
    Actor a = actor(Set.of("analytics:exports:read"), Set.of("org-a"));
    assertThat(policy.decide(a, Permission.EXPORTS_READ, ResourceScope.org("org-a")).allowed()).isTrue();
    assertThat(policy.decide(a, Permission.EXPORTS_DOWNLOAD, ResourceScope.org("org-a")).allowed()).isFalse();
  }

  @Test
  void noScopesAtAllSaysWhatIsMissingWithoutNamingAProtocol() {
    AccessDecision d = policy.decide(actor(Set.of("admin"), Set.of()), Permission.EXPORTS_CREATE,
        ResourceScope.org("org-a"));
    assertThat(((AccessDecision.Deny) d).errorCode()).isEqualTo("auth.no_org_scope");
    assertThat(d.reason()).contains("no organisation scope").doesNotContain("X-Actor");
  }

  @Test
  void platformOperatorPassesObjectChecksButStillNeedsThePermission() {
    Actor op = new Actor("ops", Set.of("viewer"), Set.of(), Set.of(), true);
    assertThat(policy.decide(op, Permission.USAGE_READ, ResourceScope.org("any-org")).allowed()).isTrue();
    assertThat(policy.decide(op, Permission.USAGE_READ, ResourceScope.platform()).allowed()).isTrue();
    assertThat(((AccessDecision.Deny) policy.decide(op, Permission.ROUTING_ADMIN, ResourceScope.tenant("t")))
        .errorCode()).isEqualTo("auth.forbidden");
  }

  @Test
  void platformScopeRequiresPlatformOperator() {
    AccessDecision d = policy.decide(actor(Set.of("admin"), Set.of("org-a")), Permission.ROUTING_ADMIN,
        ResourceScope.platform());
    assertThat(((AccessDecision.Deny) d).errorCode()).isEqualTo("auth.cross_org");
  }

  @Test
  void tenantScopesAreCheckedLikeOrgs() {
    Actor a = new Actor("alice", Set.of("analytics:store:write"), Set.of(), Set.of(new TenantScope("t_system")),
        false);
    assertThat(policy.decide(a, Permission.STORE_WRITE, ResourceScope.tenant("t_system")).allowed()).isTrue();
    assertThat(policy.decide(a, Permission.STORE_WRITE, ResourceScope.tenant("t_other")).allowed()).isFalse();
  }

  /** Issue 8, finding 6: scopes were plain strings, so an organisation id granted the tenant of the same id. */
  @Test
  void anOrganisationNeverGrantsTheTenantOfTheSameIdNorTheOtherWayRound() {
    String id = "00000000-0000-0000-0000-000000000001";
    Actor orgMember = actor(Set.of("admin"), Set.of(id));
    AccessDecision asTenant = policy.decide(orgMember, Permission.STORE_READ, ResourceScope.tenant(id));
    assertThat(((AccessDecision.Deny) asTenant).errorCode()).isEqualTo("auth.cross_org");
    Actor tenantMember = new Actor("bob", Set.of("admin"), Set.of(), Set.of(new TenantScope(id)), false);
    AccessDecision asOrg = policy.decide(tenantMember, Permission.USAGE_READ, ResourceScope.org(id));
    assertThat(((AccessDecision.Deny) asOrg).errorCode()).isEqualTo("auth.cross_org");
    assertThat(policy.decide(tenantMember, Permission.STORE_READ, ResourceScope.tenant(id)).allowed()).isTrue();
  }

  @Test
  void rulesAreListedInEvaluationOrder() {
    assertThat(policy.allRules()).extracting(AccessRule::name).containsExactly("role-grants-permission",
        "actor-has-scope", "platform-scope-needs-operator", "actor-scoped-to-target");
  }

  @Test
  void firstRejectionWins() {
    AccessDecision d = policy.decide(actor(Set.of(), Set.of()), Permission.USAGE_READ, ResourceScope.org("o"));
    assertThat(((AccessDecision.Deny) d).errorCode()).isEqualTo("auth.forbidden");
  }

  @Test
  void deniedExceptionCarriesTheDecision() {
    AccessDecision.Deny deny = new AccessDecision.Deny("auth.cross_org", "not a member");
    AccessDeniedException e = new AccessDeniedException(deny);
    assertThat(e.errorCode()).isEqualTo("auth.cross_org");
    assertThat(e.decision()).isEqualTo(deny);
    assertThat(e).hasMessage("not a member");
  }

  @Test
  void scopeLabelsAreKindColonId() {
    assertThat(ResourceScope.org("o1").label()).isEqualTo("org:o1");
    assertThat(ResourceScope.tenant("t1").label()).isEqualTo("tenant:t1");
    assertThat(ResourceScope.platform().label()).isEqualTo("platform:*");
  }
}
