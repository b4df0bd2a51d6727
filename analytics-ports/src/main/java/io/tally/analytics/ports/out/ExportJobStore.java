package io.tally.analytics.ports.out;

import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import java.time.Instant;
import java.util.Optional;

/**
 * Persistence and the work queue of export jobs.
 *
 * <p>{@link #claimNext} is the only way a worker gets a job: it moves the oldest PENDING job to RUNNING
 * atomically (a database adapter uses {@code FOR UPDATE SKIP LOCKED}), so several workers never run the same job.
 * The claimant then records the outcome with {@link #update}.
 */
public interface ExportJobStore {
  /** Error code when updating a job that does not exist. */
  String NOT_FOUND = "export.not_found";

  /** @param job a new PENDING job; its id is unique */
  void create(ExportJob job);

  /** @return the job when it exists and belongs to {@code orgId} */
  Optional<ExportJob> get(String orgId, String jobId);

  /**
   * @param orgId the organisation
   * @param cursor {@code nextCursor} of the previous page, empty for the first
   * @param limit page size, 1..100
   * @return the org's jobs newest first (createdAt, then jobId, descending); jobs created after the first page
   *     never shift later pages
   */
  ExportJobPage list(String orgId, Optional<String> cursor, int limit);

  /**
   * @param now the claim instant (becomes the job's updatedAt)
   * @return the oldest PENDING job (createdAt, then jobId), now RUNNING; empty when none waits
   */
  Optional<ExportJob> claimNext(Instant now);

  /**
   * @param job the job after a transition
   * @throws io.tally.analytics.core.TallyException {@code export.not_found} when no such job exists
   */
  void update(ExportJob job);
}
