package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.IngestSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ingests one batch of usage events from any path (HTTP, stream, embedded). Each event is validated; invalid
 * ones go to the dead-letter store; the rest are de-duplicated in the batch, priced when they carry no cost,
 * and appended idempotently. Requires {@code analytics:events:write} on every organisation in the batch.
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
   * @param actor caller (the stream consumer uses a platform-operator system actor)
   * @param batchId unique id of the batch
   * @param source HTTP request id and/or stream position (committed with the rows)
   * @param candidates events as parsed from the wire, at most {@link #MAX_EVENTS}
   */
  record IngestCommand(Actor actor, String batchId, IngestSource source, List<UsageEventCandidate> candidates) {
    /** Validates. */
    public IngestCommand {
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(batchId, "batchId");
      if (batchId.isBlank()) {
        throw new IllegalArgumentException("batchId must not be blank");
      }
      Objects.requireNonNull(source, "source");
      candidates = List.copyOf(candidates);
      if (candidates.size() > MAX_EVENTS) {
        throw new IllegalArgumentException("at most " + MAX_EVENTS + " events per batch");
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
    /** Invalid or unpriceable; sent to the dead-letter store. */
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
