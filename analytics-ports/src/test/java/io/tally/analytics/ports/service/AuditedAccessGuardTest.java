package io.tally.analytics.ports.service;

import java.util.List;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.core.rbac.AccessDeniedException;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditedAccessGuardTest {
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final MutableTimeSource clock = MutableTimeSource.standard();
  private final AuditedAccessGuard guard = new AuditedAccessGuard(AccessPolicy.standard(), audit, clock);

  @Test
  void allowIsAudited() {
    guard.require(Actors.adminOf("org-a"), Permission.USAGE_READ, ResourceScope.org("org-a"), "usage.query");
    AuditRecord r = audit.all().get(0);
    assertThat(r.decision()).isEqualTo("allow");
    assertThat(r.action()).isEqualTo("usage.query");
    assertThat(r.permission()).isEqualTo("analytics:usage:read");
    assertThat(r.scope()).isEqualTo("org:org-a");
    assertThat(r.at()).isEqualTo(clock.now());
  }

  @Test
  void crossOrgAdminIsDeniedAndTheDenialIsAuditedFirst() {
    Actor adminOfA = Actors.adminOf("org-a");
    assertThatThrownBy(() -> guard.require(adminOfA, Permission.EXPORTS_CREATE, ResourceScope.org("org-b"),
        "exports.create")).isInstanceOf(AccessDeniedException.class).extracting("errorCode")
        .isEqualTo("auth.cross_org");
    AuditRecord r = audit.all().get(0);
    assertThat(r.decision()).isEqualTo("deny");
    assertThat(r.actorSubject()).isEqualTo(adminOfA.subject());
    assertThat(r.scope()).isEqualTo("org:org-b");
    assertThat(r.reason()).startsWith("auth.cross_org");
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void callerWithoutScopeGetsNoOrgScope() {
    Actor noScope = new Actor("svc", Set.of("admin"), Set.of(), Set.of(), false);
    assertThatThrownBy(() -> guard.require(noScope, Permission.EXPORTS_CREATE, ResourceScope.org("org-a"), "x"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("no organisation scope")
        .extracting("errorCode").isEqualTo("auth.no_org_scope");
    assertThat(audit.all()).hasSize(1);
  }

  @Test
  void everyDecisionExtendsTheChain() {
    for (int i = 0; i < 5; i++) {
      try {
        guard.require(Actors.adminOf("org-a"), Permission.USAGE_READ, ResourceScope.org(i % 2 == 0 ? "org-a"
            : "org-b"), "usage.query");
      } catch (AccessDeniedException expected) {
        // denials are part of the chain too
      }
    }
    assertThat(audit.all()).extracting(AuditRecord::decision)
        .containsExactly("allow", "deny", "allow", "deny", "allow");
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void requireAllAuditsEveryScopeInOneAppendThenThrowsTheFirstDenial() {
    CountingAuditLog counting = new CountingAuditLog(audit);
    AuditedAccessGuard batched = new AuditedAccessGuard(AccessPolicy.standard(), counting, clock);
    Actor adminOfAAndC = new Actor("ops", Set.of("admin"), Actors.orgs("org-a", "org-c"), Set.of(), false);
    List<ResourceScope> scopes = List.of(ResourceScope.org("org-a"), ResourceScope.org("org-b"),
        ResourceScope.org("org-c"), ResourceScope.org("org-d"));

    assertThatThrownBy(() -> batched.requireAll(adminOfAAndC, Permission.EVENTS_WRITE, scopes, "events.ingest"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("org-b")
        .extracting("errorCode").isEqualTo("auth.cross_org");
    assertThat(counting.calls).isEqualTo(1);
    assertThat(audit.all()).extracting(AuditRecord::scope)
        .containsExactly("org:org-a", "org:org-b", "org:org-c", "org:org-d");
    assertThat(audit.all()).extracting(AuditRecord::decision).containsExactly("allow", "deny", "allow", "deny");
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void requireAllPassesWhenEveryScopeIsAllowed() {
    Actor adminOfAAndC = new Actor("ops", Set.of("admin"), Actors.orgs("org-a", "org-c"), Set.of(), false);
    guard.requireAll(adminOfAAndC, Permission.EVENTS_WRITE,
        List.of(ResourceScope.org("org-a"), ResourceScope.org("org-c")), "events.ingest");
    assertThat(audit.all()).extracting(AuditRecord::decision).containsExactly("allow", "allow");
    assertThatThrownBy(() -> guard.requireAll(adminOfAAndC, Permission.EVENTS_WRITE, List.of(), "events.ingest"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Counts appendAll calls, to show a batch of decisions costs one append. */
  private static final class CountingAuditLog implements AuditLog {
    private final AuditLog delegate;
    private int calls;

    CountingAuditLog(AuditLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<AuditRecord> appendAll(List<AuditEntry> entries) {
      calls++;
      return delegate.appendAll(entries);
    }

    @Override
    public AuditHead head() {
      return delegate.head();
    }

    @Override
    public List<AuditRecord> range(long fromSequence, int limit) {
      return delegate.range(fromSequence, limit);
    }
  }
}
