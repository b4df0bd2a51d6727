package io.tally.analytics.ports.in;

import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.core.rbac.Actor;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The export API ({@code /analytics/v1/orgs/{orgId}/exports}). Authorized on the org scope with
 * {@code analytics:exports:create|read|download}; cancelling needs {@code create}. Running jobs is
 * {@link RunExports}' job.
 */
public interface Exports {
  /**
   * @param orgId organisation whose data is exported
   * @param spec kind, range, granularity
   */
  record CreateExport(String orgId, ExportSpec spec) {
    /** Rejects nulls. */
    public CreateExport {
      Objects.requireNonNull(orgId, "orgId");
      Objects.requireNonNull(spec, "spec");
    }
  }

  /**
   * A signed download URL and when it stops working.
   *
   * @param url the signed URL (answer with a 302 to it)
   * @param expiresAt the earlier of the URL's lifetime and the export's expiry
   */
  record DownloadLink(String url, Instant expiresAt) {
    /** Rejects nulls. */
    public DownloadLink {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /** @return the new PENDING job (answer 202 with its id) */
  ExportJob create(Actor actor, CreateExport command);

  /** @return the job, or empty when the org has no such job */
  Optional<ExportJob> get(Actor actor, String orgId, String jobId);

  /** @return the org's jobs newest first; {@code limit} 1..100 */
  ExportJobPage list(Actor actor, String orgId, Optional<String> cursor, int limit);

  /**
   * Cancels a PENDING or RUNNING job (a running worker notices at its next heartbeat and removes what it wrote).
   *
   * @return the CANCELLED job
   * @throws io.tally.analytics.core.export.ExportUnavailableException {@code export.not_found}
   * @throws io.tally.analytics.core.TallyException {@code export.not_cancellable} when it has already finished
   */
  ExportJob cancel(Actor actor, String orgId, String jobId);

  /**
   * @return a signed URL for a SUCCEEDED, unexpired job
   * @throws io.tally.analytics.core.export.ExportUnavailableException {@code export.not_found},
   *     {@code export.not_ready} or {@code export.expired}
   */
  DownloadLink download(Actor actor, String orgId, String jobId);
}
