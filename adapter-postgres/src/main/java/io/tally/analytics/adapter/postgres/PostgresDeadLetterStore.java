package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.DeadLetterStore;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the rejected events in {@code analytics.dead_letters}: the original payload, every violation (codes,
 * fields and messages as parallel arrays) and the whole source, so that a letter reads back exactly as it was
 * written. {@link PostgresUsageEventStore} writes them, in the transaction of their batch ({@link DeadLetterRows}).
 * The identity column gives the order; {@link #latest} walks it backwards. A letter written before V6 has no
 * message offset of its own and reads back with its batch's last offset, as it was written then.
 */
public final class PostgresDeadLetterStore implements DeadLetterStore {

  private static final String LATEST =
      """
      SELECT received_at, error_codes, violation_fields, violation_messages, payload, stream, consumer,
             coalesce(stream_offset, batch_last_offset) AS stream_offset, request_id, batch_ref
        FROM analytics.dead_letters
       ORDER BY id DESC
       LIMIT :limit
      """;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresDeadLetterStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public long count() {
    return translate("dead-letter count", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT count(*) FROM analytics.dead_letters").mapTo(Long.class).one()));
  }

  @Override
  public List<DeadLetter> latest(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    return translate("dead-letter read", () -> jdbi.withHandle(h -> h.createQuery(LATEST)
        .bind("limit", limit)
        .map((rs, ctx) -> letter(rs))
        .list()));
  }

  private static DeadLetter letter(ResultSet rs) throws SQLException {
    String[] codes = strings(rs.getArray("error_codes"));
    String[] fields = strings(rs.getArray("violation_fields"));
    String[] messages = strings(rs.getArray("violation_messages"));
    List<Violation> violations = new ArrayList<>(codes.length);
    for (int i = 0; i < codes.length; i++) {
      // Rows written before V5 have codes only.
      violations.add(new Violation(codes[i], fields == null ? "" : fields[i], messages == null ? "" : messages[i]));
    }
    String stream = rs.getString("stream");
    Optional<StreamPosition> position = stream == null || rs.getString("consumer") == null
        ? Optional.empty()
        : Optional.of(new StreamPosition(stream, rs.getString("consumer"), rs.getLong("stream_offset")));
    IngestSource source = new IngestSource(Optional.ofNullable(rs.getString("request_id")), position);
    String batchRef = rs.getString("batch_ref");
    return new DeadLetter(batchRef == null ? "" : batchRef, source, rs.getString("payload"), violations,
        UtcTimestamps.read(rs, "received_at"));
  }

  private static String[] strings(Array array) throws SQLException {
    return array == null ? null : (String[]) array.getArray();
  }
}
