package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.ports.out.RollupQuarantine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rollup as a readyz component: {@code up} while every hour rolls up, {@code degraded} (readyz stays 200, the
 * server serves) with the count of quarantined hours when some cannot be rolled up or the last run failed. Before
 * issue 8 readyz said ready while no rollup had succeeded for an hour.
 */
final class RollupReadiness {
  private RollupReadiness() {}

  static ReadinessCheck check(RollupQuarantine quarantine, RollupWorker worker) {
    AtomicLong quarantined = new AtomicLong();
    return new ReadinessCheck("rollup", () -> quarantined.set(quarantine.count()), () -> {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("quarantinedHours", quarantined.get());
      worker.lastSuccess().ifPresent(at -> details.put("lastSuccessAt", at.toString()));
      worker.lastRunFailure().ifPresent(failure -> details.put("lastRunError", failure));
      return details;
    }, () -> reason(quarantined.get(), worker.lastRunFailure()));
  }

  static Optional<String> reason(long quarantinedHours, Optional<String> lastRunFailure) {
    if (quarantinedHours > 0) {
      return Optional.of(quarantinedHours + (quarantinedHours == 1 ? " hour" : " hours")
          + " quarantined after failed rollups, retried with backoff; tally verify lists them");
    }
    return lastRunFailure.map(failure -> "the last rollup run failed (" + failure + "); retrying");
  }
}
