package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.in.ManageRoutes.CreateRoute;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryRouteRegistry;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.SequentialIds;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManageRoutesServiceTest {
  private final MutableTimeSource clock = MutableTimeSource.standard();
  private final InMemoryRouteRegistry registry = new InMemoryRouteRegistry();
  private final ManageRoutesService routes = new ManageRoutesService(
      new AuditedAccessGuard(AccessPolicy.standard(), new InMemoryAuditLog(), clock), registry,
      new SequentialIds("route"), clock);
  private final Actor tenantAdmin = Actors.tenantMember("t_system", "routing:admin");

  private static CreateRoute dynamo(String tenant) {
    return new CreateRoute("analytics_store", tenant, "staging", BackendType.DYNAMODB,
        Map.of("region", "us-east-1", "table_name", "analytics-store-staging", "use_local", "false"), true);
  }

  @Test
  void createStoresTheRouteForLookup() {
    Route r = routes.create(tenantAdmin, dynamo("t_system"));
    assertThat(r.routeId()).isEqualTo("route-1");
    assertThat(r.createdAt()).isEqualTo(clock.now());
    assertThat(registry.lookup("analytics_store", "t_system", "staging")).contains(r);
    assertThat(routes.list(tenantAdmin, "t_system")).containsExactly(r);
  }

  @Test
  void routingAdminIsNeededOnThatTenant() {
    assertThatThrownBy(() -> routes.create(tenantAdmin, dynamo("t_other"))).extracting("errorCode")
        .isEqualTo("auth.cross_org");
    assertThatThrownBy(() -> routes.create(Actors.tenantMember("t_system", "viewer"), dynamo("t_system")))
        .extracting("errorCode").isEqualTo("auth.forbidden");
  }

  @Test
  void aTenantAdminCannotDeleteAnotherTenantsRouteById() {
    Route theirs = routes.create(Actors.tenantMember("t_other", "routing:admin"), dynamo("t_other"));
    assertThat(routes.delete(tenantAdmin, "t_system", theirs.routeId())).isFalse();
    assertThat(registry.findById(theirs.routeId())).isPresent();
    Route mine = routes.create(tenantAdmin, dynamo("t_system"));
    assertThat(routes.delete(tenantAdmin, "t_system", mine.routeId())).isTrue();
  }

  @Test
  void listAllIsForPlatformOperators() {
    routes.create(tenantAdmin, dynamo("t_system"));
    assertThat(routes.listAll(Actors.operator("routing:admin"))).hasSize(1);
    assertThatThrownBy(() -> routes.listAll(tenantAdmin)).extracting("errorCode").isEqualTo("auth.cross_org");
  }
}
