package io.tally.analytics.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RouteOrRejectPolicyTest {
  private final RouteOrRejectPolicy policy = new RouteOrRejectPolicy();
  private final Route route = new Route("r1", "analytics_store", "t_system", "staging", BackendType.POSTGRES,
      Map.of(), true, Instant.EPOCH);

  @Test
  void missingRouteInSystemModeIsTheAppendix503() {
    RouteDecision d = policy.decide(Mode.SYSTEM, "t_system", "staging", Optional.empty());
    assertThat(d).isEqualTo(new RouteDecision.Reject("analytics_store.missing_route",
        "No analytics_store route configured for tenant=t_system, env=staging, mode=system. Configure via "
            + "/routing/routes with backend_type (firestore|dynamodb|cosmos|postgres)."));
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"SAAS", "ENTERPRISE", "SYSTEM"})
  void everyNonLabModeRejects(Mode mode) {
    RouteDecision d = policy.decide(mode, "t1", "prod", Optional.empty());
    assertThat(d).isInstanceOf(RouteDecision.Reject.class);
    assertThat(((RouteDecision.Reject) d).message()).contains("mode=" + mode.wireName());
  }

  @Test
  void labWarnsAndStoresNothing() {
    RouteDecision d = policy.decide(Mode.LAB, "t1", "dev", Optional.empty());
    assertThat(d).isInstanceOf(RouteDecision.LabNoStore.class);
    assertThat(((RouteDecision.LabNoStore) d).warning()).contains("tenant=t1").contains("not stored");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aMatchingRouteIsUsedInEveryMode(Mode mode) {
    assertThat(policy.decide(mode, "t_system", "staging", Optional.of(route)))
        .isEqualTo(new RouteDecision.UseRoute(route));
  }

  @Test
  void aRouteForAnotherTenantIsACallerBug() {
    assertThatThrownBy(() -> policy.decide(Mode.SAAS, "t_other", "staging", Optional.of(route)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void missingRouteExceptionIsAnUnavailabilityWithTheCode() {
    var reject = (RouteDecision.Reject) policy.decide(Mode.SAAS, "t", "e", Optional.empty());
    MissingRouteException e = new MissingRouteException(reject);
    assertThat(e.kind()).isEqualTo(io.tally.analytics.core.TallyException.Kind.UNAVAILABLE);
    assertThat(e.errorCode()).isEqualTo("analytics_store.missing_route");
    assertThat(e.getMessage()).isEqualTo(reject.message());
  }
}
