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
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * {@code tally verify}: checks the freshness lag (the oldest event waiting for the rollup, at most 5 minutes), reports
 * where each retention stands, brings the rollups up to date, reconciles them against raw events for every
 * organisation with events in the range (within the raw retention window), and checks the audit hash chain from its
 * last checkpoint and every archived segment up to it. Exits 1 on drift above the threshold, a broken chain or
 * segment, or a freshness lag over 5 minutes; each check prints a line, and the last line is
 * {@code VERIFY orgs=… buckets=… drifting=… max_drift=… audit_records=… audit_head=… audit=ok|broken freshness_lag=…
 * freshness=ok|FAIL audit_checkpoint=… audit_segments=…}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Reconcile rollups with raw events and verify the audit chain (non-zero exit on failure).")
final class VerifyCommand implements Callable<Integer> {
  /** The original service's rule: verify fails when an ingested event has waited longer for the rollup. */
  static final Duration MAX_FRESHNESS_LAG = Duration.ofMinutes(5);

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
    try {
      new TimeWindow(from, to);
    } catch (RuntimeException e) {
      err.println("tally verify: bad range: " + e.getMessage());
      return 2;
    }
    try (TallyServices services = TallyServices.open(config, TallyApplication.WALL_CLOCK)) {
      // Measured before draining: how long the oldest event has been waiting for the serving system's rollup.
      Instant now = TallyApplication.WALL_CLOCK.now();
      Duration lag = services.freshnessStore().oldestWaitingEvent().map(at -> Duration.between(at, now))
          .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
      boolean freshOk = lag.compareTo(MAX_FRESHNESS_LAG) <= 0;
      out.printf("freshness lag=%ds threshold=%ds %s%n", lag.toSeconds(), MAX_FRESHNESS_LAG.toSeconds(),
          freshOk ? "ok" : "FAIL");
      TallyConfig.Retention keep = config.operations().retention();
      LocalDate firstKept = Housekeeping.firstKeptRawDay(now, keep.rawDays());
      Instant keptFrom = firstKept.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant rangeFrom = from;
      if (from.isBefore(keptFrom)) {
        out.println("range starts " + from + ", before the raw retention window; reconciling from " + keptFrom
            + " (rollups older than RETENTION_RAW_DAYS have no raw events to compare with)");
        rangeFrom = keptFrom.isBefore(to) ? keptFrom : to.minus(Duration.ofDays(1));
      }
      List<LocalDate> rawDays = services.retention().rawDays();
      long pastRaw = rawDays.stream().filter(d -> d.isBefore(firstKept)).count();
      out.printf("retention raw_days=%d oldest_raw_day=%s days_past_window=%d %s%n", keep.rawDays(),
          rawDays.isEmpty() ? "none" : rawDays.get(0), pastRaw, pastRaw == 0 ? "ok" : "pending (next housekeeping)");
      Optional<Instant> oldestLetter = services.retention().oldestDeadLetter();
      boolean lettersPast = oldestLetter.filter(at -> at.isBefore(now.minus(Duration.ofDays(keep.deadLetterDays()))))
          .isPresent();
      out.printf("retention dead_letters_days=%d oldest_dead_letter=%s %s%n", keep.deadLetterDays(),
          oldestLetter.map(Instant::toString).orElse("none"), lettersPast ? "pending (next housekeeping)" : "ok");
      RollupDrain.drain(services.rollup());
      TimeWindow window = new TimeWindow(rangeFrom, to);
      List<UUID> orgs = services.database().jdbi().withHandle(h -> h.createQuery(
              "SELECT DISTINCT org_id FROM analytics.usage_events WHERE occurred_at >= :from AND occurred_at < :to "
                  + "ORDER BY org_id")
          .bind("from", Timestamp.from(window.start())).bind("to", Timestamp.from(to)).mapTo(UUID.class).list());
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
      AuditHead checkpoint = services.auditLog().checkpoint();
      broken.ifPresent(seq -> out.println("audit chain broken at record " + seq));
      AuditSegments.Verification segments = new AuditSegments(TallyApplication.auditArchive(config))
          .verify(services.postgresAuditLog().checkpoints());
      out.printf("audit chain verified from checkpoint=%d checkpoint_hash=%s to head=%d%n", checkpoint.sequence(),
          checkpoint.hash(), head.sequence());
      out.printf("audit archive segments=%d verified=%d missing=%d broken=%d (retention_days=%d, %s)%n",
          segments.verified() + segments.missing().size() + segments.broken().size(), segments.verified(),
          segments.missing().size(), segments.broken().size(), keep.auditDays(), TallyApplication.auditArchive(config));
      segments.missing().forEach(name -> out.println("  segment not found here (moved to cold storage?): " + name));
      segments.broken().forEach(problem -> out.println("  segment BROKEN: " + problem));
      boolean auditOk = broken.isEmpty() && segments.ok();
      out.printf("VERIFY orgs=%d buckets=%d drifting=%d max_drift=%.6f audit_records=%d audit_head=%s audit=%s"
              + " freshness_lag=%ds freshness=%s audit_checkpoint=%d audit_segments=%d%n",
          orgs.size(), buckets, drifting, maxDrift, head.sequence(), head.hash(), auditOk ? "ok" : "broken",
          lag.toSeconds(), freshOk ? "ok" : "FAIL", checkpoint.sequence(), segments.verified());
      out.flush();
      return driftOk && auditOk && freshOk ? 0 : 1;
    }
  }
}
