package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.ports.out.RollupSums;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The usage API's read of the rollup tables that {@link PostgresRollupStore} writes: the same rows in the same order
 * as {@link PostgresRollupStore#query}, without the {@code latency_sketch} column (most of a row's bytes, and most
 * of a usage read's CPU to decode).
 */
public final class PostgresRollupSums implements RollupSums {
  private static final String QUERY =
      """
      SELECT org_id, model_id, bucket_start, requests, errors, input_tokens, output_tokens, cost_micros,
             unpriced_requests
        FROM analytics.%s
       WHERE org_id = :org AND bucket_start >= :start AND bucket_start < :end %s
       ORDER BY bucket_start, model_id COLLATE "C"
      """;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresRollupSums(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<Row> sums(UUID orgId, BucketWidth width, Instant start, Instant end, Optional<String> modelId) {
    String sql = QUERY.formatted(RollupTables.forWidth(width), modelId.isPresent() ? "AND model_id = :model" : "");
    return translate("rollup sums", () -> jdbi.withHandle(h -> {
      Query q = h.createQuery(sql)
          .bind("org", orgId)
          .bind("start", UtcTimestamps.bindable(start))
          .bind("end", UtcTimestamps.bindable(end));
      modelId.ifPresent(m -> q.bind("model", m));
      return q.map((rs, ctx) -> new Row(new RollupKey(rs.getObject("org_id", UUID.class), rs.getString("model_id"),
          UtcTimestamps.read(rs, "bucket_start")), rs.getLong("requests"), rs.getLong("errors"),
          rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cost_micros"),
          rs.getLong("unpriced_requests"))).list();
    }));
  }
}
