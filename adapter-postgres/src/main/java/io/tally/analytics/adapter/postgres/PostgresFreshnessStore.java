package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.ports.out.FreshnessStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Rollup watermarks in {@code analytics.freshness_watermarks}, one row per organisation, and the one
 * {@code analytics.freshness_clean_as_of} row. {@link #advance} is an upsert that keeps the later instant, so
 * concurrent refreshes and out-of-order calls never move it back. {@link #advanceClean} advances both after each
 * refresh step, in one transaction: the organisations the step refreshed that have no dirty hour left, and "every
 * organisation without a dirty hour is complete as of now" (one row however many organisations there are).
 *
 * <p>A read is one statement, so it sees one snapshot: an organisation with a dirty hour gets its own row only
 * (events are waiting for the rollup); a clean one gets the later of its own row and the clean-as-of row. An
 * organisation with neither a row nor a stored event has never been rolled up and reads empty.
 */
public final class PostgresFreshnessStore implements FreshnessStore {

  static final String ADVANCE =
      """
      INSERT INTO analytics.freshness_watermarks AS f (org_id, last_rollup_at, watermark)
      VALUES (:org, :at, :at)
      ON CONFLICT (org_id) DO UPDATE
         SET last_rollup_at = greatest(f.last_rollup_at, EXCLUDED.last_rollup_at),
             watermark = greatest(f.watermark, EXCLUDED.watermark)
      """;

  // The organisations a refresh step rolled up, where no dirty hour is left: their own watermark moves. Every
  // other clean organisation is covered by the one CLEAN_AS_OF row below (V7).
  private static final String ADVANCE_REFRESHED_ORGS =
      """
      INSERT INTO analytics.freshness_watermarks AS f (org_id, last_rollup_at, watermark)
      SELECT o.org_id, :now, :now
        FROM unnest(:orgs::uuid[]) AS o(org_id)
       WHERE NOT EXISTS (SELECT 1 FROM analytics.dirty_hours d WHERE d.org_id = o.org_id)
      ON CONFLICT (org_id) DO UPDATE
         SET last_rollup_at = greatest(f.last_rollup_at, EXCLUDED.last_rollup_at),
             watermark = greatest(f.watermark, EXCLUDED.watermark)
      """;

  // As of this commit every organisation without a dirty hour (in this transaction's view) is reflected in full.
  private static final String ADVANCE_CLEAN_AS_OF =
      """
      INSERT INTO analytics.freshness_clean_as_of AS c (singleton, last_rollup_at) VALUES (true, :now)
      ON CONFLICT (singleton) DO UPDATE SET last_rollup_at = greatest(c.last_rollup_at, EXCLUDED.last_rollup_at)
      """;

  private static final String READ =
      """
      SELECT CASE WHEN EXISTS (SELECT 1 FROM analytics.dirty_hours d WHERE d.org_id = :org) THEN f.last_rollup_at
                  ELSE greatest(f.last_rollup_at, c.last_rollup_at) END AS last_rollup_at
        FROM (SELECT 1) AS one
        LEFT JOIN analytics.freshness_watermarks f ON f.org_id = :org
        LEFT JOIN analytics.freshness_clean_as_of c ON true
       WHERE f.org_id IS NOT NULL
          OR EXISTS (SELECT 1 FROM analytics.usage_event_keys k WHERE k.org_id = :org)
      """;

  // Quarantined hours (V8) are left out: they stay dirty until a retry rolls them up, have their own report
  // (RollupQuarantine, verify's "quarantined" lines) and would otherwise hold the lag forever. An organisation with a
  // quarantined hour keeps its watermark where it was, so an event of its other hours counts as waiting only when
  // it was ingested after its hour was last rolled up too (the hourly rows' updated_at).
  private static final String OLDEST_WAITING = "SELECT min(e.ingested_at) AS waiting_since "
      + "FROM analytics.dirty_hours d "
      + "LEFT JOIN analytics.freshness_watermarks f ON f.org_id = d.org_id "
      + "LEFT JOIN LATERAL (SELECT max(r.updated_at) AS at FROM analytics.usage_rollup_hourly r "
      + "WHERE r.org_id = d.org_id AND r.bucket_start = d.bucket_start) h ON true "
      + "JOIN analytics.usage_events e ON e.org_id = d.org_id AND e.occurred_at >= d.bucket_start "
      + "AND e.occurred_at < d.bucket_start + interval '1 hour' "
      + "AND e.ingested_at > greatest(coalesce(f.last_rollup_at, '-infinity'::timestamptz), "
      + "coalesce(h.at, '-infinity'::timestamptz)) "
      + "WHERE NOT EXISTS (SELECT 1 FROM analytics.rollup_quarantine q "
      + "WHERE q.org_id = d.org_id AND q.bucket_start = d.bucket_start)";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresFreshnessStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Optional<Instant> lastRollupAt(UUID orgId) {
    return translate("freshness read", () -> jdbi.withHandle(h -> h.createQuery(READ)
        .bind("org", orgId)
        .map((rs, ctx) -> rs.getObject("last_rollup_at") == null ? Optional.<Instant>empty()
            : Optional.of(UtcTimestamps.read(rs, "last_rollup_at")))
        .findOne()
        .flatMap(at -> at)));
  }

  @Override
  public void advance(UUID orgId, Instant at) {
    translate("freshness advance", () -> jdbi.withHandle(h -> h.createUpdate(ADVANCE)
        .bind("org", orgId)
        .bind("at", UtcTimestamps.bindable(at))
        .execute()));
  }

  @Override
  public void advanceClean(Set<UUID> refreshed, Instant at) {
    OffsetDateTime now = UtcTimestamps.bindable(at);
    translate("freshness advance", () -> jdbi.inTransaction(h -> {
      if (!refreshed.isEmpty()) {
        h.createUpdate(ADVANCE_REFRESHED_ORGS).bind("now", now)
            .bindArray("orgs", UUID.class, (Object[]) refreshed.toArray(UUID[]::new)).execute();
      }
      return h.createUpdate(ADVANCE_CLEAN_AS_OF).bind("now", now).execute();
    }));
  }

  /**
   * @return when the oldest event still waiting for the rollup was ingested (an event in a dirty hour that is not
   *     quarantined, ingested after its organisation's last rollup and its hour's), empty when none waits:
   *     {@code now} minus it is the freshness lag that {@code tally verify} holds to 5 minutes. Reads only the dirty
   *     hours' events.
   */
  public Optional<Instant> oldestWaitingEvent() {
    return translate("freshness oldest waiting", () -> jdbi.withHandle(h -> h.createQuery(OLDEST_WAITING)
        .map((rs, ctx) -> rs.getObject("waiting_since") == null ? Optional.<Instant>empty()
            : Optional.of(UtcTimestamps.read(rs, "waiting_since")))
        .one()));
  }
}
