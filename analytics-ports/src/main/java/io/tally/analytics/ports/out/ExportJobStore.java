package io.tally.analytics.ports.out;

import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Persistence and the work queue of export jobs. Contract: {@code ExportJobStoreContract}.
 *
 * <p>{@link #claimNext} is the only way a worker gets a job: it picks the oldest claimable job (a RUNNING one
 * whose lease has lapsed first, then a PENDING one past its retry instant), applies {@link ExportJob#claim} and
 * stores the result atomically (a database adapter uses {@code FOR UPDATE SKIP LOCKED}), so several workers never
 * hold the same job. The holder then reports heartbeats and the outcome with {@link #updateIfHeldBy}, which
 * refuses once the job was cancelled or taken over; user actions such as cancel go through
 * {@link #updateAtomically}.
 */
public interface ExportJobStore {
  /** Largest page {@link #list} serves. */
  int MAX_PAGE = 100;
  /** Error code of a page request out of range or a cursor that is not a {@code nextCursor} value. */
  String INVALID_PAGE = "export.invalid_page";

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
   * @param now the claim instant
   * @param owner the claiming worker
   * @param leaseUntil when the lease lapses unless renewed
   * @return the claimed job: RUNNING under {@code owner}'s lease, or FAILED when it was a lapsed job without an
   *     attempt left ({@code export.worker_lost}); empty when nothing is claimable
   */
  Optional<ExportJob> claimNext(Instant now, String owner, Instant leaseUntil);

  /**
   * Stores a transition of a running job made by its lease holder (heartbeat, success, failure).
   *
   * @param owner the lease holder that made {@code next}
   * @param next the job after the transition
   * @return false, storing nothing, when the stored job is no longer RUNNING under {@code owner}'s lease
   */
  boolean updateIfHeldBy(String owner, ExportJob next);

  /**
   * Reads, changes and writes one job with nobody else changing it in between.
   *
   * @param orgId the organisation
   * @param jobId the job
   * @param change the transition; its exceptions propagate and nothing is stored
   * @return the stored result; empty when the org has no such job
   */
  Optional<ExportJob> updateAtomically(String orgId, String jobId, UnaryOperator<ExportJob> change);
}
