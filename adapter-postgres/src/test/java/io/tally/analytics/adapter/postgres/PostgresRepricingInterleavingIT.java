package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.PriceBookStoreContract;
import io.tally.analytics.ports.contract.RepricingInterleavingContract;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.jdbi.v3.core.Jdbi;

/**
 * The re-pricing property against PostgreSQL, with fewer tries than in memory (each try runs a few dozen
 * transactions), on a database of its own ({@link PropertyDatabase}).
 */
@AddLifecycleHook(PropertyDatabase.class)
@PropertyDefaults(tries = 25)
class PostgresRepricingInterleavingIT extends RepricingInterleavingContract {
  private Jdbi jdbi() {
    return PropertyDatabase.jdbi(getClass());
  }

  @Override
  protected PriceBookStoreContract.Fixture newFixture() {
    return new PriceBookStoreContract.Fixture(new PostgresUsageEventStore(jdbi(), UsageTables.CLOCK),
        new PostgresRollupStore(jdbi()), new PostgresPriceBookStore(jdbi()));
  }
}
