package io.tally.analytics.app;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server on a fresh database of the machine's PostgreSQL for one test class, both closed after it:
 *
 * <pre>{@code @RegisterExtension static final FreshTally server = new FreshTally(Map.of("ROLLUP_INTERVAL", "1h"));}</pre>
 */
final class FreshTally implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> env;
  private FreshDatabase database;
  private RunningTally tally;

  /** @param env variables on top of what {@link RunningTally} sets */
  FreshTally(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    database = new FreshDatabase();
    tally = RunningTally.onDatabase(database.url(), Files.createTempDirectory("tally-"
        + context.getRequiredTestClass().getSimpleName() + "-"), env);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (tally != null) {
      tally.close();
    }
    if (database != null) {
      database.close();
    }
  }

  RunningTally tally() {
    return tally;
  }

  FreshDatabase database() {
    return database;
  }
}
