package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.contract.IngestAndRollupContract;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.jdbi.v3.core.Jdbi;

/** The ingest/dedup/rollup idempotence property on PostgreSQL: fewer tries, one database, fresh orgs per try. */
@AddLifecycleHook(PropertyDatabase.class)
@PropertyDefaults(tries = 25)
class PostgresIngestAndRollupIT extends IngestAndRollupContract {
  private Jdbi jdbi() {
    return PropertyDatabase.jdbi(getClass());
  }

  @Override
  protected Tally.Stores newStores() {
    return new Tally.Stores(new PostgresUsageEventStore(jdbi(), UsageTables.CLOCK), new PostgresDeadLetterStore(jdbi()),
        new PostgresRollupStore(jdbi()), new PostgresRollupQuarantine(jdbi()), new PostgresFreshnessStore(jdbi()),
        new PostgresPriceBookStore(jdbi()), new PostgresAuditLog(jdbi()));
  }
}
