package io.tally.analytics.ports.contract;

import static io.tally.analytics.ports.testdata.RouteTestData.aCosmosRoute;
import static io.tally.analytics.ports.testdata.RouteTestData.aPostgresRoute;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.RouteRegistry;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link RouteRegistry} must have. Subclass and return a fresh, empty registry. */
public abstract class RouteRegistryContract {
  private RouteRegistry registry;

  /** @return an empty registry */
  protected abstract RouteRegistry newRegistry();

  @BeforeEach
  void setUpRegistry() {
    registry = newRegistry();
  }

  @Test
  void savedRouteIsFoundByIdWithItsFullConfig() {
    Route cosmos = aCosmosRoute("r1", "t1", "staging");
    assertThat(registry.save(cosmos)).isEqualTo(cosmos);
    Route found = registry.findById("r1").orElseThrow();
    assertThat(found).isEqualTo(cosmos);
    // The backend needs the secret to connect; hiding it is the presentation's job (Route.redactedConfig()).
    assertThat(found.config()).containsEntry("key", "c2VjcmV0LWtleQ==");
    assertThat(found.redactedConfig()).containsEntry("key", Route.REDACTED);
  }

  @Test
  void lookupMatchesTenantAndEnvExactly() {
    registry.save(aPostgresRoute("r1", "t1", "staging"));
    registry.save(aPostgresRoute("r2", "t1", "prod"));
    registry.save(aPostgresRoute("r3", "t2", "staging"));
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t1", "staging")).map(Route::routeId).contains("r1");
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t1", "prod")).map(Route::routeId).contains("r2");
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t1", "dev")).isEmpty();
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t3", "staging")).isEmpty();
    assertThat(registry.lookup("other_kind", "t1", "staging")).isEmpty();
  }

  @Test
  void savingASecondRouteForTheSameKeyReplacesTheFirst() {
    registry.save(aPostgresRoute("r1", "t1", "staging"));
    registry.save(aCosmosRoute("r2", "t1", "staging"));
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t1", "staging")).map(Route::routeId).contains("r2");
    assertThat(registry.findById("r1")).isEmpty();
    assertThat(registry.list(Route.ANALYTICS_STORE, Optional.of("t1"))).hasSize(1);
  }

  @Test
  void deleteRemovesOnlyThatRoute() {
    registry.save(aPostgresRoute("r1", "t1", "staging"));
    registry.save(aPostgresRoute("r2", "t2", "staging"));
    assertThat(registry.delete("r1")).isTrue();
    assertThat(registry.delete("r1")).isFalse();
    assertThat(registry.lookup(Route.ANALYTICS_STORE, "t1", "staging")).isEmpty();
    assertThat(registry.findById("r2")).isPresent();
  }

  @Test
  void listFiltersByTenantAndOrdersByTenantEnvId() {
    registry.save(aPostgresRoute("r3", "t2", "staging"));
    registry.save(aPostgresRoute("r2", "t1", "staging"));
    registry.save(aPostgresRoute("r1", "t1", "prod"));
    assertThat(registry.list(Route.ANALYTICS_STORE, Optional.of("t1"))).extracting(Route::routeId)
        .containsExactly("r1", "r2");
    assertThat(registry.list(Route.ANALYTICS_STORE, Optional.empty())).extracting(Route::routeId)
        .containsExactly("r1", "r2", "r3");
    assertThat(registry.list(Route.ANALYTICS_STORE, Optional.of("t9"))).isEmpty();
  }
}
