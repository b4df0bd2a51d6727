package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.ports.out.ExportJobStore;
import io.tally.analytics.ports.service.ExportsService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Export jobs in {@code analytics.export_jobs}, which is also the work queue.
 *
 * <p>{@link #claimNext} is one statement: the inner {@code SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1} locks the
 * oldest pending row nobody else holds, the outer {@code UPDATE} makes it RUNNING and returns it. Concurrent
 * claimers skip each other's rows instead of queueing on them, and a row another transaction has just claimed
 * fails the {@code status = 'pending'} recheck, so a job is never claimed twice. The claim applies the same rule
 * as {@link ExportJob#start}: updatedAt never goes backwards.
 *
 * <p>Instants are stored to the microsecond ({@code timestamptz}); callers passing finer instants read back
 * truncated values.
 */
public final class PostgresExportJobStore implements ExportJobStore {

  private static final String COLUMNS =
      """
      job_id, org_id, requested_by, kind, range_start, range_end, granularity, status, attempts, max_attempts,
      created_at, updated_at, object_key, row_count, error, expires_at""";

  private static final String INSERT =
      """
      INSERT INTO analytics.export_jobs (%s)
      VALUES (:jobId, :orgId, :requestedBy, :kind, :rangeStart, :rangeEnd, :granularity, :status, :attempts,
              :maxAttempts, :createdAt, :updatedAt, :objectKey, :rowCount, :error, CAST(:expiresAt AS timestamptz))
      ON CONFLICT (job_id) DO NOTHING
      """.formatted(COLUMNS);

  private static final String GET =
      "SELECT " + COLUMNS + " FROM analytics.export_jobs WHERE job_id = :jobId AND org_id = :orgId";

  private static final String FIRST_PAGE =
      """
      SELECT %s FROM analytics.export_jobs
       WHERE org_id = :orgId
       ORDER BY created_at DESC, job_id DESC
       LIMIT :limit
      """.formatted(COLUMNS);

  private static final String NEXT_PAGE =
      """
      SELECT %s FROM analytics.export_jobs
       WHERE org_id = :orgId AND (created_at, job_id) < (:afterCreatedAt, :afterJobId)
       ORDER BY created_at DESC, job_id DESC
       LIMIT :limit
      """.formatted(COLUMNS);

  private static final String CLAIM_NEXT =
      """
      UPDATE analytics.export_jobs
         SET status = 'running', updated_at = greatest(updated_at, :now)
       WHERE job_id = (SELECT job_id FROM analytics.export_jobs
                        WHERE status = 'pending'
                        ORDER BY created_at, job_id
                        FOR UPDATE SKIP LOCKED
                        LIMIT 1)
         AND status = 'pending'
      RETURNING %s
      """.formatted(COLUMNS);

  private static final String UPDATE =
      """
      UPDATE analytics.export_jobs
         SET status = :status, attempts = :attempts, max_attempts = :maxAttempts, updated_at = :updatedAt,
             object_key = :objectKey, row_count = :rowCount, error = :error,
             expires_at = CAST(:expiresAt AS timestamptz)
       WHERE job_id = :jobId AND org_id = :orgId
      """;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresExportJobStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public void create(ExportJob job) {
    int inserted = translate("export create", () -> jdbi.withHandle(h -> h.createUpdate(INSERT)
        .bind("jobId", job.jobId())
        .bind("orgId", job.orgId())
        .bind("requestedBy", job.requestedBy())
        .bind("kind", job.spec().kind().wireName())
        .bind("rangeStart", UtcTimestamps.bindable(job.spec().start()))
        .bind("rangeEnd", UtcTimestamps.bindable(job.spec().end()))
        .bind("granularity", job.spec().granularity().wireName())
        .bind("status", job.status().wireName())
        .bind("attempts", job.attempts())
        .bind("maxAttempts", job.maxAttempts())
        .bind("createdAt", UtcTimestamps.bindable(job.createdAt()))
        .bind("updatedAt", UtcTimestamps.bindable(job.updatedAt()))
        .bind("objectKey", job.objectKey().orElse(null))
        .bind("rowCount", job.rowCount().orElse(null))
        .bind("error", job.error().orElse(null))
        .bind("expiresAt", UtcTimestamps.bindable(job.expiresAt()))
        .execute()));
    if (inserted == 0) {
      // Ids come from the IdGenerator: a repeat is a bug upstream, not an outcome to report.
      throw new IllegalStateException("duplicate export job id " + job.jobId());
    }
  }

  @Override
  public Optional<ExportJob> get(String orgId, String jobId) {
    return translate("export get", () -> jdbi.withHandle(h -> h.createQuery(GET)
        .bind("jobId", jobId)
        .bind("orgId", orgId)
        .map(PostgresExportJobStore::job)
        .findOne()));
  }

  @Override
  public ExportJobPage list(String orgId, Optional<String> cursor, int limit) {
    if (limit < 1 || limit > ExportsService.MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + ExportsService.MAX_PAGE);
    }
    Optional<JobCursor> after = cursor.map(JobCursor::decode);
    List<ExportJob> rows = translate("export list", () -> jdbi.withHandle(h -> {
      var query = h.createQuery(after.isPresent() ? NEXT_PAGE : FIRST_PAGE)
          .bind("orgId", orgId)
          .bind("limit", limit + 1);
      after.ifPresent(a -> query
          .bind("afterCreatedAt", UtcTimestamps.bindable(a.createdAt()))
          .bind("afterJobId", a.jobId()));
      return query.map(PostgresExportJobStore::job).list();
    }));
    boolean more = rows.size() > limit;
    List<ExportJob> page = more ? rows.subList(0, limit) : rows;
    return new ExportJobPage(page, more ? Optional.of(JobCursor.after(page.get(limit - 1)).encode()) : Optional.empty());
  }

  @Override
  public Optional<ExportJob> claimNext(Instant now) {
    return translate("export claim", () -> jdbi.withHandle(h -> h.createQuery(CLAIM_NEXT)
        .bind("now", UtcTimestamps.bindable(now))
        .map(PostgresExportJobStore::job)
        .findOne()));
  }

  @Override
  public void update(ExportJob job) {
    int updated = translate("export update", () -> jdbi.withHandle(h -> h.createUpdate(UPDATE)
        .bind("jobId", job.jobId())
        .bind("orgId", job.orgId())
        .bind("status", job.status().wireName())
        .bind("attempts", job.attempts())
        .bind("maxAttempts", job.maxAttempts())
        .bind("updatedAt", UtcTimestamps.bindable(job.updatedAt()))
        .bind("objectKey", job.objectKey().orElse(null))
        .bind("rowCount", job.rowCount().orElse(null))
        .bind("error", job.error().orElse(null))
        .bind("expiresAt", UtcTimestamps.bindable(job.expiresAt()))
        .execute()));
    if (updated == 0) {
      throw new TallyException(NOT_FOUND, "No export job " + job.jobId() + ".");
    }
  }

  private static ExportJob job(ResultSet rs, StatementContext ctx) throws SQLException {
    ExportSpec spec = new ExportSpec(ExportKind.valueOf(upper(rs.getString("kind"))),
        UtcTimestamps.read(rs, "range_start"), UtcTimestamps.read(rs, "range_end"),
        ExportGranularity.valueOf(upper(rs.getString("granularity"))));
    long rowCount = rs.getLong("row_count");
    Optional<Long> rows = rs.wasNull() ? Optional.empty() : Optional.of(rowCount);
    return new ExportJob(rs.getString("job_id"), rs.getString("org_id"), rs.getString("requested_by"), spec,
        ExportStatus.valueOf(upper(rs.getString("status"))), rs.getInt("attempts"), rs.getInt("max_attempts"),
        UtcTimestamps.read(rs, "created_at"), UtcTimestamps.read(rs, "updated_at"),
        Optional.ofNullable(rs.getString("object_key")), rows, Optional.ofNullable(rs.getString("error")),
        UtcTimestamps.readOptional(rs, "expires_at"));
  }

  private static String upper(String wireName) {
    return wireName.toUpperCase(Locale.ROOT);
  }
}
