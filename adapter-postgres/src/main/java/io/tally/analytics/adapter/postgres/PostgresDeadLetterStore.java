package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.DeadLetter;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.IngestSource;
import io.tally.analytics.ports.out.StreamPosition;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Rejected events in {@code analytics.dead_letters}: the original payload, every violation (codes, fields and
 * messages as parallel arrays) and the whole source, so that a letter reads back exactly as it was written.
 * The identity column gives the order; {@link #latest} walks it backwards.
 */
public final class PostgresDeadLetterStore implements DeadLetterStore {

  private static final String INSERT =
      """
      INSERT INTO analytics.dead_letters (received_at, error_codes, violation_fields, violation_messages,
             payload, source, stream, consumer, stream_offset, request_id, batch_id, batch_ref)
      VALUES (:receivedAt, :codes, :fields, :messages, :payload, :source, :stream, :consumer, :offset,
             :requestId, :batchId, :batchRef)
      """;

  private static final String LATEST =
      """
      SELECT received_at, error_codes, violation_fields, violation_messages, payload, stream, consumer,
             stream_offset, request_id, batch_ref
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
  public void append(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    translate("dead-letter append", () -> {
      jdbi.useTransaction(h -> {
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (DeadLetter l : letters) {
          Optional<StreamPosition> pos = l.source().position();
          batch.bind("receivedAt", UtcTimestamps.bindable(l.receivedAt()))
              .bindArray("codes", String.class, l.violations().stream().map(Violation::errorCode).toList())
              .bindArray("fields", String.class, l.violations().stream().map(Violation::field).toList())
              .bindArray("messages", String.class, l.violations().stream().map(Violation::message).toList())
              .bind("payload", l.payload())
              .bind("source", pos.isPresent() ? "stream" : l.source().requestId().isPresent() ? "http" : "direct")
              .bind("stream", pos.map(StreamPosition::stream).orElse(null))
              .bind("consumer", pos.map(StreamPosition::consumer).orElse(null))
              .bind("offset", pos.map(StreamPosition::lastOffset).orElse(null))
              .bind("requestId", l.source().requestId().orElse(null))
              .bind("batchId", PostgresUsageEventStore.batchUuid(l.batchId()))
              .bind("batchRef", l.batchId())
              .add();
        }
        batch.execute();
      });
      return null;
    });
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
