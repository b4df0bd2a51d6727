package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.contract.UsageEventStoreContract;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.UsageEventStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresUsageEventStoreIT extends UsageEventStoreContract {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  protected UsageEventStore newStore() {
    UsageTables.empty(db);
    db.jdbi().useHandle(h -> h.execute("ALTER TABLE analytics.dead_letters DROP CONSTRAINT IF EXISTS refused"));
    return new PostgresUsageEventStore(db.jdbi(), UsageTables.CLOCK);
  }

  @Override
  protected DeadLetterStore deadLetters() {
    return new PostgresDeadLetterStore(db.jdbi());
  }

  /** A constraint the dead-letter insert violates: it runs last in the append's transaction. */
  @Override
  protected void refuseDeadLetterPayload(String payload) {
    db.jdbi().useHandle(h -> h.execute("ALTER TABLE analytics.dead_letters ADD CONSTRAINT refused"
        + " CHECK (payload <> '" + payload.replace("'", "''") + "')"));
  }
}
