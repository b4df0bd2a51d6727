package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportCsv;
import io.tally.analytics.core.export.ExportFailure;
import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportManifest;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.ports.in.RunExports;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.ExportJobStore;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.out.UsageEventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunExports}: claims a job, streams its CSV into the object store under a key of its own attempt
 * ({@code exports/<org>/<job>/<attempt>/<file>}), renews the lease while writing, stores the manifest next to the
 * file, and commits by the job row. A run that dies leaves no committed object: the object store never shows a
 * half-written file, the next attempt first removes whatever earlier attempts of the job left (complete or not),
 * and a run that finds its job cancelled or taken over removes what it wrote. So a SUCCEEDED job has exactly one
 * file and its manifest under its prefix.
 */
public final class RunExportsService implements RunExports {
  private final ExportJobStore jobs;
  private final RollupStore rollups;
  private final UsageEventStore events;
  private final FreshnessStore freshness;
  private final ObjectStore objects;
  private final TimeSource time;
  private final ExportSettings settings;

  /**
   * @param jobs the job queue
   * @param rollups source of usage exports
   * @param events source of raw exports
   * @param freshness the watermark a usage export was read at
   * @param objects where files go
   * @param time clock
   * @param settings lease, caps, retention, backoff
   */
  public RunExportsService(ExportJobStore jobs, RollupStore rollups, UsageEventStore events,
      FreshnessStore freshness, ObjectStore objects, TimeSource time, ExportSettings settings) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.events = Objects.requireNonNull(events, "events");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.time = Objects.requireNonNull(time, "time");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** @return the key prefix under which every attempt of a job writes */
  public static String jobPrefix(ExportJob job) {
    return "exports/" + job.orgId() + "/" + job.jobId() + "/";
  }

  @Override
  public Optional<ExportRun> runNext(String workerId) {
    Instant now = time.now();
    Optional<ExportJob> claimed = jobs.claimNext(now, workerId, now.plus(settings.lease()));
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    ExportJob job = claimed.get();
    if (job.status() == ExportStatus.FAILED) {
      return Optional.of(new ExportRun(job, Outcome.FAILED, job.failure().map(ExportFailure::reason)));
    }
    return Optional.of(run(job));
  }

  private ExportRun run(ExportJob job) {
    LeaseKeeper keeper = new LeaseKeeper(jobs, time, job, settings.lease(), settings.heartbeatEvery());
    String key = jobPrefix(job) + job.attempts() + "/" + job.spec().fileName();
    try {
      clearEarlierAttempts(job);
      ExportManifest manifest = writeFile(job, key, keeper);
      objects.put(manifest.manifestKey(), "application/json",
          out -> out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8)));
      Instant now = time.now();
      ExportJob done = keeper.job().succeed(now, keeper.owner(), manifest, now.plus(settings.retention()));
      if (!jobs.updateIfHeldBy(keeper.owner(), done)) {
        return abandon(keeper, key);
      }
      return new ExportRun(done, Outcome.SUCCEEDED, Optional.empty());
    } catch (TallyException e) {
      if (ExportJob.LEASE_LOST.equals(e.errorCode())) {
        return abandon(keeper, key);
      }
      return fail(keeper, key, classify(e), e.getMessage());
    } catch (UncheckedIOException e) {
      return fail(keeper, key, ExportFailureReason.OBJECT_STORE_UNAVAILABLE, "Object store I/O failed: "
          + e.getMessage());
    } catch (RuntimeException e) {
      return fail(keeper, key, ExportFailureReason.INTERNAL, "Unexpected " + e.getClass().getSimpleName()
          + " while exporting; see the server log.");
    }
  }

  // Attempts that died (kill -9, lost lease) may have left a complete but uncommitted file, or parts of one.
  private void clearEarlierAttempts(ExportJob job) {
    if (job.attempts() > 1) {
      String prefix = jobPrefix(job);
      objects.discardIncomplete(prefix);
      objects.list(prefix).forEach(objects::delete);
    }
  }

  private ExportManifest writeFile(ExportJob job, String key, LeaseKeeper keeper) {
    ExportSpec spec = job.spec();
    UUID org = UUID.fromString(job.orgId());
    Optional<Instant> asOf;
    Source source;
    if (spec.kind() == ExportKind.RAW_EVENTS) {
      asOf = Optional.of(time.now());
      EventRange range = new EventRange(org, spec.start(), spec.end(), Optional.empty());
      long count = events.count(range);
      requireWithinRawCap(count, true);
      keeper.beatIfDue();
      source = file -> events.scan(range, e -> {
        requireWithinRawCap(keeper.rows() + 1, false);
        ExportCsv.rawRow(file.csv(), e);
        file.rowDoneUnchecked();
        keeper.rowWritten();
      });
    } else {
      asOf = freshness.lastRollupAt(org);
      BucketWidth width = spec.granularity() == ExportGranularity.HOURLY ? BucketWidth.HOUR : BucketWidth.DAY;
      List<RollupRow> rows = rollups.query(org, width, spec.start(), spec.end(), Optional.empty());
      keeper.beatIfDue();
      source = file -> rows.forEach(r -> {
        ExportCsv.usageRow(file.csv(), r.key().bucketStart(), r.key().modelId(), r.rollup());
        file.rowDoneUnchecked();
        keeper.rowWritten();
      });
    }
    ExportFileWriter[] file = new ExportFileWriter[1];
    long stored = objects.put(key, spec.compression().contentType(), out -> {
      ExportFileWriter writer = new ExportFileWriter(out, spec.compression());
      ExportCsv.header(writer.csv(), spec.kind());
      source.writeRows(writer);
      writer.finish();
      // Still ours? Checked last so that a cancelled or taken-over job is never completed by this run.
      keeper.beat();
      file[0] = writer;
    });
    if (stored != file[0].bytes()) {
      throw new IllegalStateException("object store stored " + stored + " bytes of " + file[0].bytes());
    }
    return new ExportManifest(job.jobId(), key, spec.fileName(), spec.compression().contentType(),
        spec.compression(), keeper.rows(), stored, file[0].sha256(), ExportCsv.columns(spec.kind()),
        ExportManifest.Query.of(job.orgId(), spec), asOf, time.now(), settings.tallyVersion());
  }

  // Counted first, and checked again while scanning: events may arrive between the count and the scan.
  private void requireWithinRawCap(long rows, boolean exact) {
    if (rows > settings.rawMaxRows()) {
      throw new TallyException(TallyException.Kind.TOO_LARGE, ExportFailureReason.TOO_MANY_ROWS.code(),
          "The range holds " + rows
          + (exact ? "" : " or more") + " raw events; a raw export may hold at most "
          + settings.rawMaxRows() + " (EXPORT_RAW_MAX_ROWS). Narrow the time range.");
    }
  }

  private ExportRun fail(LeaseKeeper keeper, String key, ExportFailureReason reason, String message) {
    removeQuietly(key);
    ExportJob failed = keeper.job().fail(time.now(), keeper.owner(), new ExportFailure(reason, message),
        settings.retry());
    if (!jobs.updateIfHeldBy(keeper.owner(), failed)) {
      return new ExportRun(keeper.job(), Outcome.ABANDONED, Optional.empty());
    }
    Outcome outcome = failed.status() == ExportStatus.PENDING ? Outcome.RETRY_SCHEDULED : Outcome.FAILED;
    return new ExportRun(failed, outcome, Optional.of(reason));
  }

  private ExportRun abandon(LeaseKeeper keeper, String key) {
    removeQuietly(key);
    return new ExportRun(keeper.job(), Outcome.ABANDONED, Optional.empty());
  }

  // Best effort: a leftover is also removed by the job's next attempt.
  private void removeQuietly(String key) {
    try {
      objects.delete(key + ".manifest.json");
      objects.delete(key);
    } catch (RuntimeException ignored) {
      // The object store is what failed; nothing more to do here.
    }
  }

  private static ExportFailureReason classify(TallyException e) {
    String code = e.errorCode();
    if (code.equals(ExportFailureReason.TOO_MANY_ROWS.code())) {
      return ExportFailureReason.TOO_MANY_ROWS;
    }
    if (code.equals(ObjectStore.UNAVAILABLE) || code.equals(ObjectStore.NOT_FOUND)) {
      return ExportFailureReason.OBJECT_STORE_UNAVAILABLE;
    }
    if (code.startsWith("store.")) {
      return ExportFailureReason.STORE_UNAVAILABLE;
    }
    return ExportFailureReason.INTERNAL;
  }

  @FunctionalInterface
  private interface Source {
    void writeRows(ExportFileWriter file) throws IOException;
  }
}
