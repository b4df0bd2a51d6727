package io.tally.analytics.app;

import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.Exports;
import java.util.Optional;

/** {@link Exports} that counts created and cancelled jobs in {@code analytics_export_jobs_total}. */
final class MeteredExports implements Exports {
  private final Exports delegate;
  private final ExportMetrics metrics;

  MeteredExports(Exports delegate, ExportMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public ExportJob create(Actor actor, CreateExport command) {
    ExportJob job = delegate.create(actor, command);
    metrics.job(job, "pending");
    return job;
  }

  @Override
  public Optional<ExportJob> get(Actor actor, String orgId, String jobId) {
    return delegate.get(actor, orgId, jobId);
  }

  @Override
  public ExportJobPage list(Actor actor, String orgId, Optional<String> cursor, int limit) {
    return delegate.list(actor, orgId, cursor, limit);
  }

  @Override
  public ExportJob cancel(Actor actor, String orgId, String jobId) {
    ExportJob job = delegate.cancel(actor, orgId, jobId);
    metrics.job(job, "cancelled");
    return job;
  }

  @Override
  public DownloadLink download(Actor actor, String orgId, String jobId) {
    return delegate.download(actor, orgId, jobId);
  }
}
