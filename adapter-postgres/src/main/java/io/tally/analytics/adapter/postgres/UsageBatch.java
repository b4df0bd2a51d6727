package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A batch to append in one transaction, with where it came from (stream position or request id) and its dead
 * letters.
 * {@code batchRef} is the caller's own name for the batch, {@code batchId} the uuid stored with its rows.
 * {@code events} is empty or holds the domain event of each row (same order), which the rollup deltas are built
 * from; without it they are mapped back from the rows ({@link UsageEventColumns#event(UsageEventRow)}).
 * {@code lease} is the stream lease the batch was consumed under: the append is fenced by it.
 */
record UsageBatch(
    UUID batchId,
    String batchRef,
    String source,
    Optional<StreamPosition> position,
    Optional<String> requestId,
    List<UsageEventRow> rows,
    List<DeadLetter> deadLetters,
    List<UsageEvent> events,
    Optional<StreamLeaseToken> lease) {

  UsageBatch(UUID batchId, String batchRef, String source, Optional<StreamPosition> position,
      Optional<String> requestId, List<UsageEventRow> rows, List<DeadLetter> deadLetters, List<UsageEvent> events) {
    this(batchId, batchRef, source, position, requestId, rows, deadLetters, events, Optional.empty());
  }

  UsageBatch(UUID batchId, String batchRef, String source, Optional<StreamPosition> position,
      Optional<String> requestId, List<UsageEventRow> rows, List<DeadLetter> deadLetters) {
    this(batchId, batchRef, source, position, requestId, rows, deadLetters, List.of());
  }

  /** @return the domain event of row {@code i} */
  UsageEvent event(int i) {
    return events.isEmpty() ? UsageEventColumns.event(rows.get(i)) : events.get(i);
  }

  UsageBatch(UUID batchId, String source, Optional<StreamPosition> position, Optional<String> requestId,
      List<UsageEventRow> rows) {
    this(batchId, batchId.toString(), source, position, requestId, rows, List.of());
  }

  UsageBatch {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(batchRef, "batchRef");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(requestId, "requestId");
    rows = List.copyOf(rows);
    deadLetters = List.copyOf(deadLetters);
    events = List.copyOf(events);
    Objects.requireNonNull(lease, "lease");
    if (!events.isEmpty() && events.size() != rows.size()) {
      throw new IllegalArgumentException("one event per row, or none");
    }
  }
}
