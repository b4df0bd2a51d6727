package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.contract.RouteRegistryContract;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.testdata.RouteTestData;
import io.tally.analytics.ports.testdata.TestSealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRouteRegistryIT extends RouteRegistryContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected RouteRegistry newRegistry() {
    PolicyTables.empty(db);
    return new PostgresRouteRegistry(db.jdbi(), new TestSealer());
  }

  private static String storedConfig(String routeId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT config::text FROM analytics.routes WHERE route_id = :id")
        .bind("id", routeId).mapTo(String.class).one());
  }

  @Test
  void secretConfigValuesAreSealedInTheColumnAndOpenWhenRead() {
    PostgresRouteRegistry registry = (PostgresRouteRegistry) newRegistry();
    Route cosmos = RouteTestData.aCosmosRoute("r-sealed", "t1", "staging");
    registry.save(cosmos);
    assertThat(storedConfig("r-sealed")).doesNotContain(cosmos.config().get("key")).contains("database_id");
    assertThat(registry.findById("r-sealed").orElseThrow().config()).isEqualTo(cosmos.config());
    assertThat(registry.lookup("analytics_store", "t1", "staging").orElseThrow()).isEqualTo(cosmos);
  }

  @Test
  void resealAllUpgradesRowsWrittenInClear() {
    PostgresRouteRegistry clear = new PostgresRouteRegistry(db.jdbi(), new PassThroughSealer());
    PolicyTables.empty(db);
    Route cosmos = RouteTestData.aCosmosRoute("r-legacy", "t1", "staging");
    clear.save(cosmos);
    assertThat(storedConfig("r-legacy")).contains(cosmos.config().get("key"));
    PostgresRouteRegistry sealed = new PostgresRouteRegistry(db.jdbi(), new TestSealer());
    assertThat(sealed.resealAll()).isEqualTo(1);
    assertThat(sealed.resealAll()).isZero();
    assertThat(storedConfig("r-legacy")).doesNotContain(cosmos.config().get("key"));
    assertThat(sealed.findById("r-legacy").orElseThrow()).isEqualTo(cosmos);
  }

  /** What the registry stored before sealing existed: values as given. */
  private static final class PassThroughSealer implements io.tally.analytics.ports.out.SecretSealer {
    @Override
    public String seal(String plaintext, String context) {
      return plaintext;
    }

    @Override
    public String open(String stored, String context) {
      return stored;
    }

    @Override
    public boolean needsResealing(String stored) {
      return false;
    }
  }
}
