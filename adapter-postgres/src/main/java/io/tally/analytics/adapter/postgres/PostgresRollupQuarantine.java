package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.ports.out.RollupQuarantine;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Quarantined hours in {@code analytics.rollup_quarantine} (V8). {@link PostgresRollupStore} reads the table in
 * its claim (quarantined hours are passed over) and deletes an hour's row when it rolls the hour up.
 */
public final class PostgresRollupQuarantine implements RollupQuarantine {
  private static final String COLUMNS =
      "org_id, bucket_start, reason, attempts, first_failed_at, last_failed_at, next_attempt_at";

  private static final String RECORD =
      """
      INSERT INTO analytics.rollup_quarantine (%s)
      VALUES (:org, :hour, :reason, :attempts, :first, :last, :next)
      ON CONFLICT (org_id, bucket_start) DO UPDATE
         SET reason = EXCLUDED.reason, attempts = EXCLUDED.attempts, first_failed_at = EXCLUDED.first_failed_at,
             last_failed_at = EXCLUDED.last_failed_at, next_attempt_at = EXCLUDED.next_attempt_at
      """.formatted(COLUMNS);

  private static final String SELECT = "SELECT " + COLUMNS + " FROM analytics.rollup_quarantine ";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresRollupQuarantine(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public void record(QuarantinedHour entry) {
    translate("quarantine record", () -> jdbi.withHandle(h -> h.createUpdate(RECORD)
        .bind("org", entry.hour().orgId())
        .bind("hour", UtcTimestamps.bindable(entry.hour().hour()))
        .bind("reason", entry.reason())
        .bind("attempts", entry.attempts())
        .bind("first", UtcTimestamps.bindable(entry.firstFailedAt()))
        .bind("last", UtcTimestamps.bindable(entry.lastFailedAt()))
        .bind("next", UtcTimestamps.bindable(entry.nextAttemptAt()))
        .execute()));
  }

  @Override
  public Optional<QuarantinedHour> find(OrgHour hour) {
    return translate("quarantine find", () -> jdbi.withHandle(h -> h.createQuery(SELECT
            + "WHERE org_id = :org AND bucket_start = :hour")
        .bind("org", hour.orgId())
        .bind("hour", UtcTimestamps.bindable(hour.hour()))
        .map((rs, ctx) -> entry(rs)).findOne()));
  }

  @Override
  public List<QuarantinedHour> due(Instant now, int limit) {
    requirePositive(limit);
    return translate("quarantine due", () -> jdbi.withHandle(h -> h.createQuery(SELECT
            + "WHERE next_attempt_at <= :now ORDER BY next_attempt_at, org_id, bucket_start LIMIT :limit")
        .bind("now", UtcTimestamps.bindable(now))
        .bind("limit", limit)
        .map((rs, ctx) -> entry(rs)).list()));
  }

  @Override
  public List<QuarantinedHour> list(int limit) {
    requirePositive(limit);
    return translate("quarantine list", () -> jdbi.withHandle(h -> h.createQuery(SELECT
            + "ORDER BY first_failed_at, org_id, bucket_start LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> entry(rs)).list()));
  }

  @Override
  public List<QuarantinedHour> forOrg(UUID orgId, int limit) {
    requirePositive(limit);
    return translate("quarantine for org", () -> jdbi.withHandle(h -> h.createQuery(SELECT
            + "WHERE org_id = :org ORDER BY first_failed_at, bucket_start LIMIT :limit")
        .bind("org", orgId)
        .bind("limit", limit)
        .map((rs, ctx) -> entry(rs)).list()));
  }

  @Override
  public long count() {
    return translate("quarantine count", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT count(*) FROM analytics.rollup_quarantine").mapTo(Long.class).one()));
  }

  private static QuarantinedHour entry(ResultSet rs) throws SQLException {
    return new QuarantinedHour(new OrgHour(rs.getObject("org_id", UUID.class), UtcTimestamps.read(rs, "bucket_start")),
        rs.getString("reason"), rs.getInt("attempts"), UtcTimestamps.read(rs, "first_failed_at"),
        UtcTimestamps.read(rs, "last_failed_at"), UtcTimestamps.read(rs, "next_attempt_at"));
  }

  private static void requirePositive(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
  }
}
