package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.RouteRegistryContract;
import io.tally.analytics.ports.out.RouteRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRouteRegistryIT extends RouteRegistryContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected RouteRegistry newRegistry() {
    PolicyTables.empty(db);
    return new PostgresRouteRegistry(db.jdbi());
  }
}
