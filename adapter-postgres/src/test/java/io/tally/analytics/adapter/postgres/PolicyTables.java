package io.tally.analytics.adapter.postgres;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Empties the policy stores' tables between contract tests (the suites want a fresh store per test, the
 * database is per class). The audit log refuses TRUNCATE by design, so its triggers are switched off around it;
 * that needs the table owner, which the test user is.
 */
final class PolicyTables {
  private static final Set<String> TUNED = ConcurrentHashMap.newKeySet();

  private PolicyTables() {}

  static void empty(TestDatabases db) {
    if (TUNED.add(db.databaseName())) {
      // The contract suites commit a few thousand one-row transactions; waiting for each WAL flush on a shared
      // two-core machine made them slow without testing anything a crash-free run can observe.
      db.jdbi().useHandle(h -> h.execute("ALTER DATABASE " + db.databaseName() + " SET synchronous_commit = off"));
    }
    db.jdbi().useTransaction(h -> {
      h.execute("ALTER TABLE analytics.audit_log DISABLE TRIGGER USER");
      h.execute("TRUNCATE analytics.audit_log, analytics.export_jobs, analytics.routes, analytics.analytics_events");
      h.execute("ALTER TABLE analytics.audit_log ENABLE TRIGGER USER");
      h.execute("UPDATE analytics.audit_head SET sequence = 0, hash = repeat('0', 64)");
    });
  }
}
