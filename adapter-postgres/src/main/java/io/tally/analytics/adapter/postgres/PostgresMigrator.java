package io.tally.analytics.adapter.postgres;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the {@code analytics} schema to the latest version. Safe to call at every start and from several
 * instances at once: Flyway serializes concurrent runs with a PostgreSQL advisory lock and skips applied
 * versions.
 */
public final class PostgresMigrator {

  /** The schema every table of the adapter lives in, and where Flyway keeps its history. */
  public static final String SCHEMA = "analytics";

  private static final String LOCATION = "classpath:db/migration/tally";

  private PostgresMigrator() {}

  /**
   * Applies pending migrations.
   *
   * @return how many migrations this call applied (0 when the schema was already current)
   */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(SCHEMA)
            .defaultSchema(SCHEMA)
            .createSchemas(true)
            .locations(LOCATION)
            // SQL files use $$ bodies and no ${...} placeholders; replacement would only add surprises.
            .placeholderReplacement(false)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
