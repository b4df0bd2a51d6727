package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.OrgScope;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.rbac.TenantScope;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TrustedHeadersAuthenticatorTest {
  final TrustedHeadersAuthenticator auth = new TrustedHeadersAuthenticator(List.of(CidrBlock.parse("10.0.0.0/8")));

  static CallerRequest request(String remote, Map<String, String> headers) {
    TreeMap<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ci.putAll(headers);
    return new CallerRequest(remote, ci::get);
  }

  @Test
  void loopbackHeadersAreBelieved() {
    Actor actor = auth.authenticate(request("127.0.0.1",
        Map.of("X-Actor-Subject", "alice", "X-Actor-Roles", "admin,analytics:usage:read", "X-Actor-Orgs", "o1, o2")));
    assertThat(actor.subject()).isEqualTo("alice");
    assertThat(actor.roles()).containsExactlyInAnyOrder("admin", "analytics:usage:read");
    assertThat(actor.tenants()).as("entries that are not UUIDs name tenants")
        .containsExactlyInAnyOrder(new TenantScope("o1"), new TenantScope("o2"));
    assertThat(actor.orgs()).isEmpty();
    assertThat(actor.platformOperator()).isFalse();
  }

  /** Issue 8, finding 6: an organisation id also granted the AN-01 tenant with the same id. */
  @Test
  void organisationsAndTenantsAreTypedApart() {
    String org = "00000000-0000-0000-0000-0000000000AA";
    Actor actor = auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Subject", "carol", "X-Actor-Orgs",
        org + ",t_legacy", "X-Actor-Tenants", "t_demo,00000000-0000-0000-0000-0000000000bb")));
    assertThat(actor.orgs()).containsExactly(new OrgScope(org.toLowerCase(java.util.Locale.ROOT)));
    assertThat(actor.tenants()).containsExactlyInAnyOrder(new TenantScope("t_legacy"), new TenantScope("t_demo"),
        new TenantScope("00000000-0000-0000-0000-0000000000bb"));
    assertThat(actor.isMemberOf(ResourceScope.org(org.toLowerCase(java.util.Locale.ROOT)))).isTrue();
    assertThat(actor.isMemberOf(ResourceScope.tenant(org))).isFalse();
    assertThat(actor.isMemberOf(ResourceScope.tenant(org.toLowerCase(java.util.Locale.ROOT)))).isFalse();
  }

  @Test
  void aTenantsHeaderFromAnUntrustedPeerIs401() {
    assertThatThrownBy(() -> auth.authenticate(request("203.0.113.7", Map.of("X-Actor-Tenants", "t1"))))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.untrusted_source");
  }

  @Test
  void ipv6LoopbackIsTrusted() {
    assertThat(auth.authenticate(request("0:0:0:0:0:0:0:1", Map.of("X-Actor-Subject", "a"))).subject()).isEqualTo("a");
    assertThat(auth.authenticate(request("[::1]", Map.of("X-Actor-Subject", "a"))).subject()).isEqualTo("a");
  }

  @Test
  void allowlistedProxyIsTrusted() {
    assertThat(auth.authenticate(request("10.3.4.5", Map.of("X-Actor-Subject", "bob"))).subject()).isEqualTo("bob");
  }

  @Test
  void headersFromAnUntrustedPeerAre401() {
    assertThatThrownBy(() -> auth.authenticate(request("203.0.113.7", Map.of("X-Actor-Subject", "mallory"))))
        .isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.untrusted_source");
    assertThatThrownBy(() -> auth.authenticate(request("203.0.113.7", Map.of("X-Actor-Orgs", "*"))))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.untrusted_source");
  }

  @Test
  void missingSubjectIsUnauthenticated() {
    assertThatThrownBy(() -> auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Roles", "admin"))))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.unauthenticated");
    assertThatThrownBy(() -> auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Subject", "  "))))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.unauthenticated");
  }

  @Test
  void subjectWithControlCharactersIsRefused() {
    assertThatThrownBy(() -> auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Subject", "a\u0007b"))))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.unauthenticated");
  }

  @Test
  void starMarksAnExplicitPlatformOperator() {
    Actor actor = auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Subject", "ops", "X-Actor-Orgs", "*")));
    assertThat(actor.platformOperator()).isTrue();
    assertThat(actor.hasAnyScope()).isFalse();
  }

  @Test
  void noOrgsHeaderMeansNoScopeNotPlatform() {
    Actor actor = auth.authenticate(request("127.0.0.1", Map.of("X-Actor-Subject", "x")));
    assertThat(actor.platformOperator()).isFalse();
    assertThat(actor.hasAnyScope()).isFalse();
    assertThat(actor.roles()).isEmpty();
  }

  @Test
  void emptyListEntriesAreDropped() {
    Actor actor = auth.authenticate(request("127.0.0.1",
        Map.of("X-Actor-Subject", "x", "X-Actor-Roles", ",admin,, ,", "X-Actor-Orgs", " , o1")));
    assertThat(actor.roles()).containsExactly("admin");
    assertThat(actor.tenants()).containsExactly(new TenantScope("o1"));
  }
}
