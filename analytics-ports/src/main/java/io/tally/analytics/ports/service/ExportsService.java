package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.core.export.ExportUnavailableException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.out.ExportJobStore;
import io.tally.analytics.ports.out.IdGenerator;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** {@link Exports} over an {@link ExportJobStore} and an {@link ObjectStore}; jobs are run by {@link RunExportsService}. */
public final class ExportsService implements Exports {
  /** Largest page of {@link #list}: the store's. */
  public static final int MAX_PAGE = ExportJobStore.MAX_PAGE;
  /** Error code for a page size out of range: the store's, {@link ExportJobStore#INVALID_PAGE}. */
  public static final String INVALID_PAGE = ExportJobStore.INVALID_PAGE;

  private final AccessGuard guard;
  private final ExportJobStore jobs;
  private final ObjectStore objects;
  private final IdGenerator ids;
  private final TimeSource time;
  private final ExportSettings settings;

  /**
   * @param guard authorization and audit
   * @param jobs job storage
   * @param objects where finished CSVs live
   * @param ids job ids
   * @param time clock
   * @param settings attempts and URL lifetime
   */
  public ExportsService(AccessGuard guard, ExportJobStore jobs, ObjectStore objects, IdGenerator ids,
      TimeSource time, ExportSettings settings) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.time = Objects.requireNonNull(time, "time");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public ExportJob create(Actor actor, CreateExport c) {
    guard.require(actor, Permission.EXPORTS_CREATE, ResourceScope.org(c.orgId()), "exports.create");
    ExportJob job = ExportJob.pending(ids.newId(), c.orgId(), actor.subject(), c.spec(), settings.maxAttempts(),
        time.now());
    jobs.create(job);
    return job;
  }

  @Override
  public Optional<ExportJob> get(Actor actor, String orgId, String jobId) {
    guard.require(actor, Permission.EXPORTS_READ, ResourceScope.org(orgId), "exports.get");
    return jobs.get(orgId, jobId);
  }

  @Override
  public ExportJobPage list(Actor actor, String orgId, Optional<String> cursor, int limit) {
    guard.require(actor, Permission.EXPORTS_READ, ResourceScope.org(orgId), "exports.list");
    if (limit < 1 || limit > MAX_PAGE) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_PAGE,
          "limit must be between 1 and " + MAX_PAGE + ".");
    }
    return jobs.list(orgId, cursor, limit);
  }

  @Override
  public ExportJob cancel(Actor actor, String orgId, String jobId) {
    guard.require(actor, Permission.EXPORTS_CREATE, ResourceScope.org(orgId), "exports.cancel");
    Instant now = time.now();
    return jobs.updateAtomically(orgId, jobId, job -> job.cancel(now)).orElseThrow(() ->
        ExportUnavailableException.notFound("No export " + jobId + " in this organisation."));
  }

  @Override
  public DownloadLink download(Actor actor, String orgId, String jobId) {
    guard.require(actor, Permission.EXPORTS_DOWNLOAD, ResourceScope.org(orgId), "exports.download");
    ExportJob job = jobs.get(orgId, jobId).orElseThrow(() -> ExportUnavailableException.notFound(
        "No export " + jobId + " in this organisation."));
    Instant now = time.now();
    if (job.status() != ExportStatus.SUCCEEDED) {
      throw ExportUnavailableException.notReady(
          "Export " + jobId + " is " + job.status().wireName() + "; download is possible once it has succeeded.");
    }
    if (job.isExpired(now)) {
      throw ExportUnavailableException.expired(
          "Export " + jobId + " expired at " + job.expiresAt().orElseThrow() + "; create a new export.");
    }
    // A URL must not outlive the file it points at.
    Duration remaining = Duration.between(now, job.expiresAt().orElseThrow());
    Duration ttl = remaining.compareTo(settings.signedUrlTtl()) < 0 ? remaining : settings.signedUrlTtl();
    return new DownloadLink(objects.signedUrl(job.objectKey().orElseThrow(), ttl), now.plus(ttl));
  }
}
