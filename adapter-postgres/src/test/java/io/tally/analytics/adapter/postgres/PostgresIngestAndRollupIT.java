package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.contract.IngestAndRollupContract;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The ingest/dedup/rollup idempotence property on PostgreSQL: fewer tries, one database, fresh orgs per try. */
@AddLifecycleHook(PropertyDatabase.class)
@PropertyDefaults(tries = 25)
class PostgresIngestAndRollupIT extends IngestAndRollupContract {
  @Override
  protected Tally.Stores newStores() {
    return TallyPostgres.stores(PropertyDatabase.dataSource(getClass()), UsageTables.CLOCK);
  }
}
