package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Ingests one batch of usage events from any path (HTTP, stream, embedded). Each event is validated; invalid
 * ones become dead letters, stored in the same append as the batch's rows and stream position; the rest are
 * de-duplicated in the batch and appended idempotently. An event without {@code costMicros} is accepted
 * like any other: the rollup prices it from the price book, or counts it as unpriced while no price is in force. Requires
 * {@code analytics:events:write} on every organisation in the batch.
 */
public interface IngestUsageBatch {
  /** Largest batch accepted in one call. */
  int MAX_EVENTS = 50_000;

  /**
   * @param command the batch
   * @return one result per candidate, in input order
   */
  IngestReport ingest(IngestCommand command);

  /**
   * Does the checks of a batch that need no store (validation, fingerprints) now, so that a caller can check one
   * batch while the one before it commits; {@link Prepared#commit()} then authorizes and appends it exactly as
   * {@link #ingest} would. Nothing is written and nothing is authorized before {@code commit}.
   *
   * @param command the batch
   * @return the checked batch; its {@code commit} may be called again after it throws (a retry)
   */
  default Prepared prepare(IngestCommand command) {
    Objects.requireNonNull(command, "command");
    return () -> ingest(command);
  }

  /** A batch checked by {@link #prepare} and not yet committed. */
  @FunctionalInterface
  interface Prepared {
    /**
     * Authorizes and appends the batch; when it throws, nothing of it is stored and it may be called again.
     *
     * @return one result per candidate, in input order, as {@link #ingest} returns them
     */
    IngestReport commit();
  }

  /**
   * One batch to ingest. A stream batch names each candidate's message offset, so that a candidate the use case
   * rejects is dead-lettered with its own offset; the caller may also hand over dead letters it made itself for
   * messages that could not become candidates at all. Both kinds commit with the batch's rows and position.
   *
   * @param actor caller (the stream consumer uses a platform-operator system actor)
   * @param batchId unique id of the batch
   * @param source HTTP request id and/or stream position (committed with the rows)
   * @param candidates events as parsed from the wire, at most {@link #MAX_EVENTS}
   * @param messageOffsets empty, or for a stream batch the offset of each candidate's message (aligned with
   *     {@code candidates}, each at most the position's last offset); required when the source has a position
   *     and there are candidates
   * @param deadLetters letters the caller already made for messages that are not candidates (for example a
   *     stream message that is not JSON), stored with the batch's other dead letters
   * @param events events built in code ({@link UsageEvent#builder}), after the candidates in the results; they are
   *     checked against the validator's limits and event-time window, never turned back into text. Not with
   *     message offsets.
   */
  record IngestCommand(Actor actor, String batchId, IngestSource source, List<UsageEventCandidate> candidates,
      List<Long> messageOffsets, List<DeadLetter> deadLetters, List<UsageEvent> events) {
    /** Validates. */
    public IngestCommand {
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(batchId, "batchId");
      if (batchId.isBlank()) {
        throw new IllegalArgumentException("batchId must not be blank");
      }
      Objects.requireNonNull(source, "source");
      candidates = List.copyOf(candidates);
      events = List.copyOf(events);
      if (candidates.size() + events.size() > MAX_EVENTS) {
        throw new IllegalArgumentException("at most " + MAX_EVENTS + " events per batch");
      }
      messageOffsets = List.copyOf(messageOffsets);
      deadLetters = List.copyOf(deadLetters);
      requireOffsetPerCandidate(source, candidates, messageOffsets);
      if (!events.isEmpty() && !messageOffsets.isEmpty()) {
        throw new IllegalArgumentException("typed events carry no message offsets");
      }
    }

    /**
     * A stream or HTTP batch of parsed candidates.
     *
     * @param actor caller
     * @param batchId unique id of the batch
     * @param source where the batch came from
     * @param candidates events as parsed from the wire
     * @param messageOffsets empty, or the offset of each candidate's message
     * @param deadLetters letters the caller already made
     */
    public IngestCommand(Actor actor, String batchId, IngestSource source, List<UsageEventCandidate> candidates,
        List<Long> messageOffsets, List<DeadLetter> deadLetters) {
      this(actor, batchId, source, candidates, messageOffsets, deadLetters, List.of());
    }

    /**
     * A batch of events built in code, from an embedding service: a fresh batch id, {@link IngestSource#direct()}.
     *
     * @param actor caller, e.g. {@link Actor#service}
     * @param events the events, at most {@link #MAX_EVENTS}
     * @return the command
     */
    public static IngestCommand of(Actor actor, List<UsageEvent> events) {
      return new IngestCommand(actor, "embedded-" + UUID.randomUUID(), IngestSource.direct(), List.of(), List.of(),
          List.of(), events);
    }

    /** @return candidates and typed events together */
    public int size() {
      return candidates.size() + events.size();
    }

    /** A batch without message offsets or caller-made dead letters: HTTP, direct or an empty stream batch. */
    public IngestCommand(Actor actor, String batchId, IngestSource source, List<UsageEventCandidate> candidates) {
      this(actor, batchId, source, candidates, List.of(), List.of());
    }

    /**
     * @param index position in {@link #candidates()}
     * @return where that candidate came from: the batch's source, with a stream position moved to the offset of
     *     the candidate's own message
     */
    public IngestSource sourceOf(int index) {
      Objects.checkIndex(index, size());
      if (messageOffsets.isEmpty()) {
        return source;
      }
      StreamPosition batchEnd = source.position().orElseThrow();
      return new IngestSource(source.requestId(), Optional.of(
          new StreamPosition(batchEnd.stream(), batchEnd.consumer(), messageOffsets.get(index))));
    }

    private static void requireOffsetPerCandidate(IngestSource source, List<UsageEventCandidate> candidates,
        List<Long> offsets) {
      if (offsets.isEmpty()) {
        if (source.position().isPresent() && !candidates.isEmpty()) {
          throw new IllegalArgumentException("a stream batch names the message offset of every candidate");
        }
        return;
      }
      if (offsets.size() != candidates.size()) {
        throw new IllegalArgumentException("one message offset per candidate");
      }
      long last = source.position()
          .orElseThrow(() -> new IllegalArgumentException("message offsets need a stream position"))
          .lastOffset();
      for (long offset : offsets) {
        if (offset < 0 || offset > last) {
          throw new IllegalArgumentException("message offset " + offset + " is outside 0.." + last);
        }
      }
    }
  }

  /** What happened to one event. */
  enum EventStatus {
    /** Stored now. */
    ACCEPTED,
    /** Already stored with the same payload (in this batch or before). */
    DUPLICATE,
    /** Already stored with a different payload; the first write stands, this one is kept for inspection. */
    CONFLICT,
    /** Invalid; sent to the dead-letter store. */
    REJECTED
  }

  /**
   * @param index position in the command's candidate list
   * @param eventId the candidate's eventId, if it had one
   * @param status outcome
   * @param violations reasons, non-empty exactly when REJECTED
   */
  record EventResult(int index, Optional<String> eventId, EventStatus status, List<Violation> violations) {
    /** Validates. */
    public EventResult {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(status, "status");
      violations = List.copyOf(violations);
      if ((status == EventStatus.REJECTED) == violations.isEmpty()) {
        throw new IllegalArgumentException("violations must be present exactly for rejected events");
      }
    }
  }

  /**
   * @param batchId the batch
   * @param results one per candidate, in input order
   */
  record IngestReport(String batchId, List<EventResult> results) {
    /** Copies. */
    public IngestReport {
      Objects.requireNonNull(batchId, "batchId");
      results = List.copyOf(results);
    }

    /** @return events stored now */
    public long accepted() {
      return count(EventStatus.ACCEPTED);
    }

    /** @return exact resends */
    public long duplicates() {
      return count(EventStatus.DUPLICATE);
    }

    /** @return resends with a different payload */
    public long conflicts() {
      return count(EventStatus.CONFLICT);
    }

    /** @return invalid events */
    public long rejected() {
      return count(EventStatus.REJECTED);
    }

    private long count(EventStatus status) {
      return results.stream().filter(r -> r.status() == status).count();
    }
  }
}
