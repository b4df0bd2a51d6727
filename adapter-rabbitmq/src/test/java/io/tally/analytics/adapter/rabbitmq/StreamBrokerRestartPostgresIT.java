package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.adapter.postgres.TallyPostgres;
import io.tally.analytics.adapter.postgres.TestDatabases;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StreamBrokerRestartIT} with the production sink storing in PostgreSQL: the broker stops mid-stream, and the
 * consumer resumes from the offset committed with the rows, without loss or duplicates. Stops the shared broker:
 * run under {@code flock /work/locks/broker}.
 */
class StreamBrokerRestartPostgresIT extends StreamBrokerRestartIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Override
  RestartLedger newLedger() {
    Instant dayAfter = Instant.parse("2025-11-04T00:00:00Z");
    return new StoreLedger(TallyPostgres.stores(db.dataSource(), () -> dayAfter), () -> dayAfter);
  }
}
