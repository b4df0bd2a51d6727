package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.rollup.QuarantinedHour;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tally verify}: checks the freshness lag (the oldest event waiting for the rollup in an hour that is not
 * quarantined, at most 5 minutes), reports where each retention stands, brings the rollups up to date, reconciles
 * them against raw events for every organisation with events in the range (within the raw retention window), lists
 * the quarantined hours (rollups that failed, waiting for a retry) and checks the audit hash chain from its last
 * checkpoint and every archived segment up to it. It reports every problem it finds and never stops at one: an
 * organisation that cannot be reconciled as a whole is checked bucket by bucket, each failure printed as an
 * {@code ERROR} line. Exits 1 on drift above the threshold, a quarantined hour, an error, a broken chain or segment,
 * or a freshness lag over 5 minutes; each check prints a line, and the last line is
 * {@code VERIFY orgs=… buckets=… drifting=… max_drift=… quarantined_hours=… errors=… audit_records=… audit_head=…
 * audit=ok|broken|error freshness_lag=… freshness=ok|FAIL|error audit_checkpoint=… audit_segments=…}.
 *
 * <p>A quarantined hour stays dirty (issue 8), so it would hold the freshness lag forever and say the same thing
 * twice; the freshness check therefore speaks for the hours the rollup can process, and the quarantine for the
 * others, on its own lines and in {@code quarantined_hours=}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Reconcile rollups with raw events and verify the audit chain (non-zero exit on failure).")
final class VerifyCommand implements Callable<Integer> {
  /** Failing buckets printed per organisation; the rest are counted. */
  static final int MAX_LINES = 20;
  /** Quarantined hours listed; the rest are counted. */
  static final int MAX_QUARANTINE_LINES = 1_000;
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
      Tally tally = new Tally(out);
      // Measured before draining: how long the oldest event has been waiting for the serving system's rollup.
      Instant now = TallyApplication.WALL_CLOCK.now();
      Optional<Duration> lag = freshnessLag(services, now, tally);
      boolean freshOk = lag.map(d -> d.compareTo(MAX_FRESHNESS_LAG) <= 0).orElse(false);
      TallyConfig.Retention keep = config.operations().retention();
      LocalDate firstKept = Housekeeping.firstKeptRawDay(now, keep.rawDays());
      Instant keptFrom = firstKept.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant rangeFrom = from;
      if (from.isBefore(keptFrom)) {
        out.println("range starts " + from + ", before the raw retention window; reconciling from " + keptFrom
            + " (rollups older than RETENTION_RAW_DAYS have no raw events to compare with)");
        rangeFrom = keptFrom.isBefore(to) ? keptFrom : to.minus(Duration.ofDays(1));
      }
      retention(services, keep, now, firstKept, tally);
      try {
        RollupDrain.drain(services.rollup());
      } catch (RuntimeException e) {
        tally.error("rollup before the check failed; comparing the rollups as they are", e);
      }
      TimeWindow window = new TimeWindow(rangeFrom, to);
      List<UUID> orgs = orgsWithEvents(services, window, tally);
      for (UUID org : orgs) {
        try {
          tally.add(org, services.reconcile().reconcile(new ReconcileCommand(SystemActor.get(), org, width, window)));
        } catch (IllegalArgumentException e) {
          err.println("tally verify: " + e.getMessage());
          return 2;
        } catch (RuntimeException e) {
          tally.error("org " + org + " could not be reconciled as a whole; checking it bucket by bucket", e);
          reconcileBucketByBucket(services, org, width, window, tally);
        }
      }
      long quarantined = quarantine(services, tally);
      Optional<Long> broken = Optional.empty();
      String audit;
      AuditHead head = AuditHead.genesis();
      AuditHead checkpoint = AuditHead.genesis();
      int segmentsVerified = 0;
      try {
        broken = services.auditLog().verify();
        head = services.auditLog().head();
        checkpoint = services.auditLog().checkpoint();
        broken.ifPresent(seq -> out.println("audit chain broken at record " + seq));
        AuditSegments.Verification segments = new AuditSegments(TallyApplication.auditArchive(config))
            .verify(services.postgresAuditLog().checkpoints());
        out.printf("audit chain verified from checkpoint=%d checkpoint_hash=%s to head=%d%n", checkpoint.sequence(),
            checkpoint.hash(), head.sequence());
        out.printf("audit archive segments=%d verified=%d missing=%d broken=%d (retention_days=%d, %s)%n",
            segments.verified() + segments.missing().size() + segments.broken().size(), segments.verified(),
            segments.missing().size(), segments.broken().size(), keep.auditDays(),
            TallyApplication.auditArchive(config));
        segments.missing().forEach(name -> out.println("  segment not found here (moved to cold storage?): " + name));
        segments.broken().forEach(problem -> out.println("  segment BROKEN: " + problem));
        segmentsVerified = segments.verified();
        audit = broken.isEmpty() && segments.ok() ? "ok" : "broken";
      } catch (RuntimeException e) {
        tally.error("audit chain could not be checked", e);
        audit = "error";
      }
      out.printf("VERIFY orgs=%d buckets=%d drifting=%d max_drift=%.6f quarantined_hours=%d errors=%d "
              + "audit_records=%d audit_head=%s audit=%s freshness_lag=%s freshness=%s audit_checkpoint=%d "
              + "audit_segments=%d%n", orgs.size(), tally.buckets, tally.drifting, tally.maxDrift, quarantined,
          tally.errors, head.sequence(), head.hash(), audit, lag.map(d -> d.toSeconds() + "s").orElse("unknown"),
          lag.isEmpty() ? "error" : freshOk ? "ok" : "FAIL", checkpoint.sequence(), segmentsVerified);
      out.flush();
      return tally.driftOk && quarantined == 0 && tally.errors == 0 && "ok".equals(audit) && freshOk ? 0 : 1;
    }
  }

  /**
   * Prints the freshness line.
   *
   * @return the lag, empty when it could not be measured (an {@code ERROR} line says why)
   */
  private static Optional<Duration> freshnessLag(TallyServices services, Instant now, Tally tally) {
    Duration lag;
    long quarantined;
    try {
      lag = services.freshnessStore().oldestWaitingEvent().map(at -> Duration.between(at, now))
          .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
      quarantined = services.rollupQuarantine().count();
    } catch (RuntimeException e) {
      tally.error("the freshness lag could not be measured", e);
      return Optional.empty();
    }
    tally.out.printf("freshness lag=%ds threshold=%ds %s%s%n", lag.toSeconds(), MAX_FRESHNESS_LAG.toSeconds(),
        lag.compareTo(MAX_FRESHNESS_LAG) <= 0 ? "ok" : "FAIL",
        quarantined == 0 ? "" : " (not counting " + quarantined + " quarantined hour(s), listed below)");
    return Optional.of(lag);
  }

  private static void retention(TallyServices services, TallyConfig.Retention keep, Instant now, LocalDate firstKept,
      Tally tally) {
    try {
      List<LocalDate> rawDays = services.retention().rawDays();
      long pastRaw = rawDays.stream().filter(d -> d.isBefore(firstKept)).count();
      tally.out.printf("retention raw_days=%d oldest_raw_day=%s days_past_window=%d %s%n", keep.rawDays(),
          rawDays.isEmpty() ? "none" : rawDays.get(0), pastRaw, pastRaw == 0 ? "ok" : "pending (next housekeeping)");
      Optional<Instant> oldestLetter = services.retention().oldestDeadLetter();
      boolean lettersPast = oldestLetter.filter(at -> at.isBefore(now.minus(Duration.ofDays(keep.deadLetterDays()))))
          .isPresent();
      tally.out.printf("retention dead_letters_days=%d oldest_dead_letter=%s %s%n", keep.deadLetterDays(),
          oldestLetter.map(Instant::toString).orElse("none"), lettersPast ? "pending (next housekeeping)" : "ok");
    } catch (RuntimeException e) {
      tally.error("the retention could not be read", e);
    }
  }

  private static List<UUID> orgsWithEvents(TallyServices services, TimeWindow window, Tally tally) {
    try {
      return services.database().jdbi().withHandle(h -> h.createQuery(
              "SELECT DISTINCT org_id FROM analytics.usage_events WHERE occurred_at >= :from AND occurred_at < :to "
                  + "ORDER BY org_id")
          .bind("from", Timestamp.from(window.start())).bind("to", Timestamp.from(window.end()))
          .mapTo(UUID.class).list());
    } catch (RuntimeException e) {
      tally.error("the organisations with events could not be listed", e);
      return List.of();
    }
  }

  /** One bad row must not hide the rest: every bucket is compared on its own and each failure is reported. */
  private static void reconcileBucketByBucket(TallyServices services, UUID org, Granularity width, TimeWindow window,
      Tally tally) {
    Duration step = width.width().duration();
    int failures = 0;
    for (Instant at = window.start(); at.isBefore(window.end()); at = at.plus(step)) {
      try {
        tally.addBucket(services.reconcile().reconcile(new ReconcileCommand(SystemActor.get(), org, width,
            new TimeWindow(at, at.plus(step)))));
      } catch (RuntimeException e) {
        if (++failures <= MAX_LINES) {
          tally.error("org " + org + " bucket " + at + " could not be reconciled", e);
        } else {
          tally.errors++;
        }
      }
    }
    if (failures > MAX_LINES) {
      tally.out.println("  ... " + (failures - MAX_LINES) + " more buckets of org " + org + " failed");
    }
  }

  /** Lists the quarantined hours; @return how many there are */
  private static long quarantine(TallyServices services, Tally tally) {
    try {
      List<QuarantinedHour> hours = services.rollupQuarantine().list(MAX_QUARANTINE_LINES);
      for (QuarantinedHour q : hours) {
        tally.out.println("quarantined org=" + q.hour().orgId() + " hour=" + q.hour().hour() + " attempts="
            + q.attempts() + " since=" + q.firstFailedAt() + " next_attempt=" + q.nextAttemptAt() + " reason="
            + q.reason());
      }
      long total = services.rollupQuarantine().count();
      if (total > hours.size()) {
        tally.out.println("... " + (total - hours.size()) + " more quarantined hours");
      }
      return total;
    } catch (RuntimeException e) {
      tally.error("the rollup quarantine could not be read", e);
      return 0;
    }
  }

  /** Running totals, and every problem printed as it is found. */
  private static final class Tally {
    final PrintWriter out;
    int buckets;
    int drifting;
    double maxDrift;
    boolean driftOk = true;
    int errors;

    Tally(PrintWriter out) {
      this.out = out;
    }

    void add(UUID org, ReconciliationReport report) {
      count(report);
      out.printf("org %s buckets=%d drifting=%d max_drift=%.6f %s%n", org, report.bucketsCompared(),
          report.drifts().size(), report.maxDrift(), report.ok() ? "ok" : "DRIFT");
      report.drifts().stream().limit(5).forEach(d -> out.println("  drift " + d.key() + " relative="
          + d.relativeDrift()));
    }

    void addBucket(ReconciliationReport report) {
      count(report);
      report.drifts().forEach(d -> out.println("  drift " + d.key() + " relative=" + d.relativeDrift()));
    }

    private void count(ReconciliationReport report) {
      buckets += report.bucketsCompared();
      drifting += report.drifts().size();
      maxDrift = Math.max(maxDrift, report.maxDrift());
      driftOk &= report.ok();
    }

    void error(String what, RuntimeException e) {
      errors++;
      String code = e instanceof TallyException t ? t.errorCode() + ": " : e.getClass().getSimpleName() + ": ";
      out.println("ERROR " + what + ": " + code + e.getMessage());
    }
  }
}
