package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.PriceBookStoreContract;
import io.tally.analytics.ports.contract.RepricingInterleavingContract;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The re-pricing property against PostgreSQL, with fewer tries than in memory (each try runs a few dozen
 * transactions). jqwik runs outside JUnit Jupiter's extensions, so the database is made here.
 */
@PropertyDefaults(tries = 25)
class PostgresRepricingInterleavingIT extends RepricingInterleavingContract {
  private static String name;
  private static Jdbi jdbi;

  @BeforeContainer
  static void createDatabase() throws Exception {
    name = TestDatabases.create(PostgresRepricingInterleavingIT.class.getSimpleName());
    PGSimpleDataSource dataSource = TestDatabases.dataSource(name);
    PostgresMigrator.migrate(dataSource);
    jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
  }

  @AfterContainer
  static void dropDatabase() throws Exception {
    if (name != null) {
      TestDatabases.drop(name);
    }
  }

  @Override
  protected PriceBookStoreContract.Fixture newFixture() {
    return new PriceBookStoreContract.Fixture(new PostgresUsageEventStore(jdbi, UsageTables.CLOCK),
        new PostgresRollupStore(jdbi), new PostgresPriceBookStore(jdbi));
  }
}
