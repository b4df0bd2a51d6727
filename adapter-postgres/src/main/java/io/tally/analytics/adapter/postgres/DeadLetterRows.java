package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.Violation;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes dead letters into {@code analytics.dead_letters} on the caller's handle, inside the transaction that
 * appends their batch. A stream letter whose (stream, consumer, message offset) is already stored is skipped
 * (unique index {@code dead_letters_stream_message}), so a redelivered batch adds nothing twice.
 */
final class DeadLetterRows {

  private static final String INSERT =
      """
      INSERT INTO analytics.dead_letters (received_at, error_codes, violation_fields, violation_messages,
             payload, source, stream, consumer, stream_offset, request_id, batch_id, batch_ref)
      VALUES (:receivedAt, :codes, :fields, :messages, :payload, :source, :stream, :consumer, :offset,
             :requestId, :batchId, :batchRef)
      ON CONFLICT DO NOTHING
      """;

  private DeadLetterRows() {}

  static void insert(Handle h, List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
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
  }
}
