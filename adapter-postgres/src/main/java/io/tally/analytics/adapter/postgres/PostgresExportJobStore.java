package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.core.export.ExportFailure;
import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportLease;
import io.tally.analytics.core.export.ExportManifest;
import io.tally.analytics.core.export.ExportResult;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.ports.out.ExportJobStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Export jobs in {@code analytics.export_jobs}, which is also the work queue.
 *
 * <p>{@link #claimNext} runs in one transaction: it locks the oldest claimable row nobody else holds
 * ({@code FOR UPDATE SKIP LOCKED}; lapsed leases first, then pending rows past their retry instant), applies
 * {@link ExportJob#claim} to it (the rule lives in core) and writes the result before committing. Concurrent
 * claimers skip each other's rows instead of queueing on them, so a job is never claimed twice.
 * {@link #updateIfHeldBy} writes only while the row is still running under the same lease owner, which is how a
 * worker learns that its job was cancelled or taken over.
 *
 * <p>Instants are stored to the microsecond ({@code timestamptz}); callers passing finer instants read back
 * truncated values.
 */
public final class PostgresExportJobStore implements ExportJobStore {

  private static final String COLUMNS =
      """
      job_id, org_id, requested_by, kind, range_start, range_end, granularity, compression, status, attempts,
      max_attempts, created_at, updated_at, rows_written, lease_owner, lease_expires_at, retry_at, error_code, error,
      object_key, file_name, content_type, row_count, byte_count, sha256, column_names, as_of, generated_at,
      tally_version, expires_at""";

  private static final String VALUES =
      """
      :jobId, :orgId, :requestedBy, :kind, :rangeStart, :rangeEnd, :granularity, :compression, :status, :attempts,
      :maxAttempts, :createdAt, :updatedAt, :rowsWritten, :leaseOwner, CAST(:leaseExpiresAt AS timestamptz),
      CAST(:retryAt AS timestamptz), :errorCode, :error, :objectKey, :fileName, :contentType, :rowCount, :byteCount,
      :sha256, :columnNames, CAST(:asOf AS timestamptz), CAST(:generatedAt AS timestamptz), :tallyVersion,
      CAST(:expiresAt AS timestamptz)""";

  private static final String INSERT =
      "INSERT INTO analytics.export_jobs (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT (job_id) DO NOTHING";

  private static final String GET =
      "SELECT " + COLUMNS + " FROM analytics.export_jobs WHERE job_id = :jobId AND org_id = :orgId";

  private static final String GET_FOR_UPDATE = GET + " FOR UPDATE";

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

  private static final String LAPSED =
      """
      SELECT %s FROM analytics.export_jobs
       WHERE status = 'running' AND lease_expires_at <= :now
       ORDER BY created_at, job_id
       FOR UPDATE SKIP LOCKED
       LIMIT 1
      """.formatted(COLUMNS);

  private static final String PENDING =
      """
      SELECT %s FROM analytics.export_jobs
       WHERE status = 'pending' AND (retry_at IS NULL OR retry_at <= :now)
       ORDER BY created_at, job_id
       FOR UPDATE SKIP LOCKED
       LIMIT 1
      """.formatted(COLUMNS);

  private static final String SET_ALL =
      """
      UPDATE analytics.export_jobs
         SET status = :status, attempts = :attempts, updated_at = :updatedAt, rows_written = :rowsWritten,
             lease_owner = :leaseOwner, lease_expires_at = CAST(:leaseExpiresAt AS timestamptz),
             retry_at = CAST(:retryAt AS timestamptz), error_code = :errorCode, error = :error,
             object_key = :objectKey, file_name = :fileName, content_type = :contentType, row_count = :rowCount,
             byte_count = :byteCount, sha256 = :sha256, column_names = :columnNames,
             as_of = CAST(:asOf AS timestamptz), generated_at = CAST(:generatedAt AS timestamptz),
             tally_version = :tallyVersion, expires_at = CAST(:expiresAt AS timestamptz)
       WHERE job_id = :jobId AND org_id = :orgId""";

  private static final String SET_IF_HELD = SET_ALL + " AND status = 'running' AND lease_owner = :holder";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresExportJobStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public void create(ExportJob job) {
    int inserted = translate("export create", () -> jdbi.withHandle(h -> bindAll(h.createUpdate(INSERT), job)
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
    if (limit < 1 || limit > ExportJobStore.MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + ExportJobStore.MAX_PAGE);
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
  public Optional<ExportJob> claimNext(Instant now, String owner, Instant leaseUntil) {
    return translate("export claim", () -> jdbi.inTransaction(h -> {
      Optional<ExportJob> candidate = lockFirst(h, LAPSED, now).or(() -> lockFirst(h, PENDING, now));
      Optional<ExportJob> claimed = candidate.map(j -> j.claim(now, owner, leaseUntil));
      claimed.ifPresent(j -> bindAll(h.createUpdate(SET_ALL), j).execute());
      return claimed;
    }));
  }

  private static Optional<ExportJob> lockFirst(Handle h, String sql, Instant now) {
    return h.createQuery(sql).bind("now", UtcTimestamps.bindable(now)).map(PostgresExportJobStore::job).findOne();
  }

  @Override
  public boolean updateIfHeldBy(String owner, ExportJob next) {
    return translate("export update", () -> jdbi.withHandle(h -> bindAll(h.createUpdate(SET_IF_HELD), next)
        .bind("holder", owner).execute())) == 1;
  }

  @Override
  public Optional<ExportJob> updateAtomically(String orgId, String jobId, UnaryOperator<ExportJob> change) {
    return translate("export update", () -> jdbi.inTransaction(h -> {
      Optional<ExportJob> changed = h.createQuery(GET_FOR_UPDATE).bind("jobId", jobId).bind("orgId", orgId)
          .map(PostgresExportJobStore::job).findOne().map(change);
      changed.ifPresent(j -> bindAll(h.createUpdate(SET_ALL), j).execute());
      return changed;
    }));
  }

  private static <S extends SqlStatement<S>> S bindAll(S s, ExportJob job) {
    Optional<ExportManifest> m = job.result().map(ExportResult::manifest);
    return s.bind("jobId", job.jobId())
        .bind("orgId", job.orgId())
        .bind("requestedBy", job.requestedBy())
        .bind("kind", job.spec().kind().wireName())
        .bind("rangeStart", UtcTimestamps.bindable(job.spec().start()))
        .bind("rangeEnd", UtcTimestamps.bindable(job.spec().end()))
        .bind("granularity", job.spec().granularity().wireName())
        .bind("compression", job.spec().compression().wireName())
        .bind("status", job.status().wireName())
        .bind("attempts", job.attempts())
        .bind("maxAttempts", job.maxAttempts())
        .bind("createdAt", UtcTimestamps.bindable(job.createdAt()))
        .bind("updatedAt", UtcTimestamps.bindable(job.updatedAt()))
        .bind("rowsWritten", job.rowsWritten())
        .bind("leaseOwner", job.lease().map(ExportLease::owner).orElse(null))
        .bind("leaseExpiresAt", UtcTimestamps.bindable(job.lease().map(ExportLease::expiresAt)))
        .bind("retryAt", UtcTimestamps.bindable(job.retryAt()))
        .bind("errorCode", job.failure().map(f -> f.reason().code()).orElse(null))
        .bind("error", job.failure().map(ExportFailure::message).orElse(null))
        .bind("objectKey", m.map(ExportManifest::objectKey).orElse(null))
        .bind("fileName", m.map(ExportManifest::fileName).orElse(null))
        .bind("contentType", m.map(ExportManifest::contentType).orElse(null))
        .bind("rowCount", m.map(ExportManifest::rows).orElse(null))
        .bind("byteCount", m.map(ExportManifest::bytes).orElse(null))
        .bind("sha256", m.map(ExportManifest::sha256).orElse(null))
        .bind("columnNames", m.map(x -> String.join(",", x.columns())).orElse(null))
        .bind("asOf", UtcTimestamps.bindable(m.flatMap(ExportManifest::asOf)))
        .bind("generatedAt", UtcTimestamps.bindable(m.map(ExportManifest::generatedAt)))
        .bind("tallyVersion", m.map(ExportManifest::tallyVersion).orElse(null))
        .bind("expiresAt", UtcTimestamps.bindable(job.expiresAt()));
  }

  private static ExportJob job(ResultSet rs, StatementContext ctx) throws SQLException {
    ExportSpec spec = new ExportSpec(ExportKind.valueOf(upper(rs.getString("kind"))),
        UtcTimestamps.read(rs, "range_start"), UtcTimestamps.read(rs, "range_end"),
        ExportGranularity.valueOf(upper(rs.getString("granularity"))),
        ExportCompression.valueOf(upper(rs.getString("compression"))));
    String orgId = rs.getString("org_id");
    String jobId = rs.getString("job_id");
    ExportStatus status = ExportStatus.valueOf(upper(rs.getString("status")));
    Optional<ExportLease> lease = Optional.ofNullable(rs.getString("lease_owner"))
        .map(owner -> new ExportLease(owner, readInstant(rs, "lease_expires_at")));
    Optional<ExportFailure> failure = Optional.ofNullable(rs.getString("error_code"))
        .map(code -> new ExportFailure(ExportFailureReason.fromCode(code),
            Objects.requireNonNullElse(readString(rs, "error"), "")));
    Optional<ExportResult> result = Optional.empty();
    if (status == ExportStatus.SUCCEEDED) {
      ExportManifest manifest = new ExportManifest(jobId, rs.getString("object_key"), rs.getString("file_name"),
          rs.getString("content_type"), spec.compression(), rs.getLong("row_count"), rs.getLong("byte_count"),
          rs.getString("sha256"), Arrays.asList(rs.getString("column_names").split(",")),
          ExportManifest.Query.of(orgId, spec), UtcTimestamps.readOptional(rs, "as_of"),
          UtcTimestamps.read(rs, "generated_at"), rs.getString("tally_version"));
      result = Optional.of(new ExportResult(manifest, UtcTimestamps.read(rs, "expires_at")));
    }
    return new ExportJob(jobId, orgId, rs.getString("requested_by"), spec, status, rs.getInt("attempts"),
        rs.getInt("max_attempts"), UtcTimestamps.read(rs, "created_at"), UtcTimestamps.read(rs, "updated_at"),
        rs.getLong("rows_written"), lease, UtcTimestamps.readOptional(rs, "retry_at"), failure, result);
  }

  private static Instant readInstant(ResultSet rs, String column) {
    try {
      return UtcTimestamps.read(rs, column);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readString(ResultSet rs, String column) {
    try {
      return rs.getString(column);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String upper(String wireName) {
    return wireName.toUpperCase(Locale.ROOT);
  }
}
