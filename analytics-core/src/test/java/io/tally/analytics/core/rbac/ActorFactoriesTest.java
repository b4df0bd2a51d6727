package io.tally.analytics.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActorFactoriesTest {
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000002");
  private final AccessPolicy policy = AccessPolicy.standard();

  @Test
  void aServiceWritesAndReadsItsOwnOrganisationsOnly() {
    Actor gateway = Actor.service("gateway", ORG);
    assertThat(gateway.subject()).isEqualTo("service:gateway");
    assertThat(policy.decide(gateway, Permission.EVENTS_WRITE, ResourceScope.org(ORG.toString())))
        .isInstanceOf(AccessDecision.Allow.class);
    assertThat(policy.decide(gateway, Permission.RELIABILITY_READ, ResourceScope.org(ORG.toString())))
        .isInstanceOf(AccessDecision.Allow.class);
    assertThat(policy.decide(gateway, Permission.USAGE_READ, ResourceScope.org(OTHER.toString())))
        .isInstanceOf(AccessDecision.Deny.class);
    assertThat(policy.decide(gateway, Permission.EXPORTS_CREATE, ResourceScope.org(ORG.toString())))
        .as("reads and writes usage, nothing else").isInstanceOf(AccessDecision.Deny.class);
    assertThat(policy.decide(gateway, Permission.EVENTS_WRITE, ResourceScope.platform()))
        .isInstanceOf(AccessDecision.Deny.class);
    assertThatThrownBy(() -> Actor.service("gateway")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSystemIdentityActsOnThePlatform() {
    Actor rollup = Actor.system("rollup");
    assertThat(rollup.subject()).isEqualTo("system:rollup");
    assertThat(policy.decide(rollup, Permission.EVENTS_WRITE, ResourceScope.platform()))
        .isInstanceOf(AccessDecision.Allow.class);
  }
}
