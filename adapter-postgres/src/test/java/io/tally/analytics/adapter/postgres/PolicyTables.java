package io.tally.analytics.adapter.postgres;

import org.jdbi.v3.core.Jdbi;

/**
 * Empties the policy stores' tables between contract tests (the suites want a fresh store per test, the
 * database is per class). The audit log refuses TRUNCATE by design, so its triggers are switched off around it;
 * that needs the table owner, which the test user is.
 */
final class PolicyTables {
  private PolicyTables() {}

  static void empty(Jdbi jdbi) {
    jdbi.useTransaction(h -> {
      h.execute("ALTER TABLE analytics.audit_log DISABLE TRIGGER USER");
      h.execute("TRUNCATE analytics.audit_log, analytics.export_jobs, analytics.routes, analytics.analytics_events");
      h.execute("ALTER TABLE analytics.audit_log ENABLE TRIGGER USER");
      h.execute("UPDATE analytics.audit_head SET sequence = 0, hash = repeat('0', 64)");
    });
  }
}
