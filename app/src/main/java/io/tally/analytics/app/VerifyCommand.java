package io.tally.analytics.app;

import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.TimeWindow;
import java.io.PrintWriter;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally verify}: brings the rollups up to date, reconciles them against raw events for every organisation
 * with events in the range, and checks the audit hash chain. Exits 1 on drift above the threshold or a broken
 * chain; the last line is {@code VERIFY orgs=… buckets=… drifting=… max_drift=… audit_records=… audit=ok|broken}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Reconcile rollups with raw events and verify the audit chain (non-zero exit on failure).")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--days", defaultValue = "30",
      description = "Whole UTC days to check, ending tomorrow 00:00 (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--start", description = "Range start (RFC 3339, aligned to the granularity); overrides --days.")
  Optional<Instant> start;

  @Option(names = "--end", description = "Range end, exclusive (RFC 3339, aligned).")
  Optional<Instant> end;

  @Option(names = "--granularity", defaultValue = "daily", description = "hourly or daily (default ${DEFAULT-VALUE}).")
  String granularity;

  @Override
  public Integer call() {
    TallyConfig config = parent.config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Granularity> parsed = Granularity.fromWireName(granularity);
    if (parsed.isEmpty()) {
      err.println("tally verify: --granularity must be hourly or daily");
      return 2;
    }
    Granularity width = parsed.get();
    Instant to = end.orElse(TallyApplication.WALL_CLOCK.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)));
    Instant from = start.orElse(to.minus(Duration.ofDays(Math.max(1, days))));
    TimeWindow window;
    try {
      window = new TimeWindow(from, to);
    } catch (RuntimeException e) {
      err.println("tally verify: bad range: " + e.getMessage());
      return 2;
    }
    try (TallyServices services = TallyServices.open(config, TallyApplication.WALL_CLOCK)) {
      RollupDrain.drain(services.rollup());
      List<UUID> orgs = services.database().jdbi().withHandle(h -> h.createQuery(
              "SELECT DISTINCT org_id FROM analytics.usage_events WHERE occurred_at >= :from AND occurred_at < :to "
                  + "ORDER BY org_id")
          .bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to)).mapTo(UUID.class).list());
      int buckets = 0;
      int drifting = 0;
      double maxDrift = 0;
      boolean driftOk = true;
      for (UUID org : orgs) {
        ReconciliationReport report;
        try {
          report = services.reconcile().reconcile(new ReconcileCommand(SystemActor.get(), org, width, window));
        } catch (IllegalArgumentException e) {
          err.println("tally verify: " + e.getMessage());
          return 2;
        }
        buckets += report.bucketsCompared();
        drifting += report.drifts().size();
        maxDrift = Math.max(maxDrift, report.maxDrift());
        driftOk &= report.ok();
        out.printf("org %s buckets=%d drifting=%d max_drift=%.6f %s%n", org, report.bucketsCompared(),
            report.drifts().size(), report.maxDrift(), report.ok() ? "ok" : "DRIFT");
        report.drifts().stream().limit(5).forEach(d -> out.println("  drift " + d.key() + " relative="
            + d.relativeDrift()));
      }
      Optional<Long> broken = services.auditLog().verify();
      AuditHead head = services.auditLog().head();
      broken.ifPresent(seq -> out.println("audit chain broken at record " + seq));
      out.printf("VERIFY orgs=%d buckets=%d drifting=%d max_drift=%.6f audit_records=%d audit_head=%s audit=%s%n",
          orgs.size(), buckets, drifting, maxDrift, head.sequence(), head.hash(), broken.isEmpty() ? "ok" : "broken");
      out.flush();
      return driftOk && broken.isEmpty() ? 0 : 1;
    }
  }
}
