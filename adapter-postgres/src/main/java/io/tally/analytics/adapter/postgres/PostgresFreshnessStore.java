package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.ports.out.FreshnessStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Rollup watermarks in {@code analytics.freshness_watermarks}, one row per organisation. {@link #advance} is an
 * upsert that keeps the later instant, so concurrent refreshes and out-of-order calls never move it back.
 * {@link PostgresRollupStore} advances the same rows inside its refresh transaction.
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

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresFreshnessStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Optional<Instant> lastRollupAt(UUID orgId) {
    return translate("freshness read", () -> jdbi.withHandle(h -> h.createQuery(
            "SELECT last_rollup_at FROM analytics.freshness_watermarks WHERE org_id = :org")
        .bind("org", orgId)
        .map((rs, ctx) -> UtcTimestamps.read(rs, "last_rollup_at"))
        .findOne()));
  }

  @Override
  public void advance(UUID orgId, Instant at) {
    translate("freshness advance", () -> jdbi.withHandle(h -> h.createUpdate(ADVANCE)
        .bind("org", orgId)
        .bind("at", UtcTimestamps.bindable(at))
        .execute()));
  }
}
