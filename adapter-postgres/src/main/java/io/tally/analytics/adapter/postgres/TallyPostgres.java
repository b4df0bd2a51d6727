package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Tally's use cases over PostgreSQL, for a service that embeds Tally: the PostgreSQL stores of this adapter
 * handed to {@link Tally#over}. The schema {@code analytics} is migrated first (Flyway; nothing to do when it is
 * current), so the data source's user needs the right to create it once.
 */
public final class TallyPostgres {
  private TallyPostgres() {}

  /**
   * @param dataSource the database, ideally pooled (every call borrows a connection)
   * @param clock the embedding service's clock
   * @return Tally storing its events, rollups, watermarks, prices and audit log in that database
   */
  public static Tally on(DataSource dataSource, TimeSource clock) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    PostgresMigrator.migrate(dataSource);
    return Tally.over(stores(dataSource, clock), clock);
  }

  /**
   * @param dataSource a database whose schema {@code analytics} is migrated ({@link PostgresMigrator})
   * @param clock the clock of the event store's partition window
   * @return the PostgreSQL stores, for {@link Tally#over} (or to share one database between several wirings)
   */
  public static Tally.Stores stores(DataSource dataSource, TimeSource clock) {
    Jdbi jdbi = Jdbi.create(dataSource);
    return new Tally.Stores(new PostgresUsageEventStore(jdbi, clock), new PostgresDeadLetterStore(jdbi),
        new PostgresRollupStore(jdbi), new PostgresRollupQuarantine(jdbi), new PostgresFreshnessStore(jdbi),
        new PostgresPriceBookStore(jdbi), new PostgresAuditLog(jdbi));
  }
}
