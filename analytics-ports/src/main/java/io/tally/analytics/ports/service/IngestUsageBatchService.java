package io.tally.analytics.ports.service;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.usage.BatchDeduplicator;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.UsageEventRules;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.core.usage.ValidationResult;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.out.AppendOutcome;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.PriceBookSource;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.out.UnpricedEventCounter;
import io.tally.analytics.ports.out.UsageEventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validates, de-duplicates and appends one batch. Events are stored as received: an event without a cost keeps
 * none, and the rollup prices it from the book when it refreshes its hour (so a price added later re-prices it).
 * An accepted event that has no cost and no price in force now is counted per model
 * ({@link UnpricedEventCounter}); it is never rejected for that.
 *
 * <p>Every repeat is classified against the first write, also inside one batch: exact in-batch repeats take
 * the outcome of their first occurrence, and in-batch repeats with a different payload are appended in a
 * follow-up round so the store compares them with what it holds (and keeps them for inspection). The stream
 * position rides on the last round only, so a crash between rounds makes the stream redeliver the batch, which
 * is harmless because appends are idempotent.
 *
 * <p>Dead letters — the candidates the validator rejects, plus the ones the caller made for
 * messages that were not candidates — ride on that same last round, so the store commits them with the
 * position: a crash before the commit writes none of them and the redelivery writes them once; a crash after it
 * leaves nothing to redeliver. Each stream letter carries its own message's offset, which the store also uses
 * to refuse a second copy.
 */
public final class IngestUsageBatchService implements IngestUsageBatch {
  private final AccessGuard accessGuard;
  private final UsageEventValidator validator;
  private final UsageEventStore events;
  private final PriceBookSource prices;
  private final TimeSource time;
  private final UnpricedEventCounter unpriced;
  private final BatchDeduplicator deduplicator = new BatchDeduplicator();

  /**
   * @param accessGuard authorizes {@code analytics:events:write} per organisation
   * @param validator event rules
   * @param events raw event store, which also keeps the dead letters
   * @param prices price book, read once per batch that holds an event without cost, to count the unpriced ones
   * @param time clock for the event-time window and dead-letter timestamps
   */
  public IngestUsageBatchService(AccessGuard accessGuard, UsageEventValidator validator, UsageEventStore events,
      PriceBookSource prices, TimeSource time) {
    this(accessGuard, validator, events, prices, time, UnpricedEventCounter.NONE);
  }

  /**
   * @param accessGuard authorizes {@code analytics:events:write} per organisation
   * @param validator event rules
   * @param events raw event store, which also keeps the dead letters
   * @param prices price book, read once per batch that holds an event without cost, to count the unpriced ones
   * @param time clock for the event-time window and dead-letter timestamps
   * @param unpriced told how many accepted events of each model arrived unpriced
   */
  public IngestUsageBatchService(AccessGuard accessGuard, UsageEventValidator validator, UsageEventStore events,
      PriceBookSource prices, TimeSource time, UnpricedEventCounter unpriced) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.events = Objects.requireNonNull(events, "events");
    this.prices = Objects.requireNonNull(prices, "prices");
    this.time = Objects.requireNonNull(time, "time");
    this.unpriced = Objects.requireNonNull(unpriced, "unpriced");
  }

  @Override
  public IngestReport ingest(IngestCommand command) {
    return prepare(command).commit();
  }

  /**
   * Validates and fingerprints now; the returned batch authorizes and appends on {@code commit}. Validation
   * writes nothing, so doing it before the authorization (and ahead of the previous batch's commit, as the stream
   * consumer does) changes no outcome; the event-time window is judged at this call's time.
   */
  @Override
  public Prepared prepare(IngestCommand command) {
    Instant now = time.now();
    List<UsageEventCandidate> candidates = command.candidates();
    EventResult[] rejected = new EventResult[command.size()];
    List<Integer> acceptedIndexes = new ArrayList<>();
    List<FingerprintedEvent> accepted = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>(command.deadLetters());

    for (int i = 0; i < command.size(); i++) {
      boolean typed = i >= candidates.size();
      ValidationResult result = typed ? validator.validate(command.events().get(i - candidates.size()), now)
          : validator.validate(candidates.get(i), now);
      if (result instanceof ValidationResult.Valid valid) {
        accepted.add(FingerprintedEvent.of(valid.event()));
        acceptedIndexes.add(i);
      } else {
        List<Violation> violations = ((ValidationResult.Invalid) result).violations();
        Optional<String> eventId;
        String payload;
        if (typed) {
          UsageEvent event = command.events().get(i - candidates.size());
          eventId = Optional.of(event.eventId());
          payload = "eventId=" + event.eventId() + " orgId=" + event.orgId() + " occurredAt=" + event.occurredAt()
              + " modelId=" + event.modelId();
        } else {
          eventId = candidates.get(i).eventId();
          payload = candidates.get(i).rawPayload().orElseGet(candidates.get(i)::describe);
        }
        rejected[i] = new EventResult(i, eventId, EventStatus.REJECTED, violations);
        letters.add(new DeadLetter(command.batchId(), command.sourceOf(i), payload, violations, now));
      }
    }
    // Message order, so that the newest letter is the last message (letters without an offset keep theirs).
    letters.sort(Comparator.comparing(l -> l.messageOffset().orElse(-1L)));
    return () -> {
      authorize(command);
      // A fresh copy per attempt: a retried commit must not see the outcomes of the failed one.
      EventResult[] results = rejected.clone();
      appendInRounds(command, acceptedIndexes, accepted, letters, results);
      countUnpriced(accepted, acceptedIndexes, results);
      return new IngestReport(command.batchId(), List.of(results));
    };
  }

  /** Counts the events stored now (not the resends) that the book cannot price yet. */
  private void countUnpriced(List<FingerprintedEvent> accepted, List<Integer> indexes, EventResult[] results) {
    Map<String, Long> byModel = new TreeMap<>();
    PriceBook book = null;
    for (int j = 0; j < accepted.size(); j++) {
      UsageEvent event = accepted.get(j).event();
      if (event.costMicros().isPresent() || results[indexes.get(j)].status() != EventStatus.ACCEPTED) {
        continue;
      }
      book = book == null ? prices.current() : book;
      if (book.costOf(event).isEmpty()) {
        byModel.merge(event.modelId(), 1L, Long::sum);
      }
    }
    byModel.forEach(unpriced::unpriced);
  }

  private void appendInRounds(IngestCommand command, List<Integer> indexes, List<FingerprintedEvent> accepted,
      List<DeadLetter> letters, EventResult[] results) {
    List<Integer> pending = indexes;
    List<FingerprintedEvent> pendingEvents = accepted;
    int round = 0;
    do {
      BatchDeduplicator.Result dedup = deduplicator.deduplicate(pendingEvents);
      List<Integer> nextIndexes = new ArrayList<>();
      List<FingerprintedEvent> nextEvents = new ArrayList<>();
      for (int j = 0; j < pending.size(); j++) {
        if (dedup.outcomes().get(j) instanceof BatchDeduplicator.Outcome.Conflict) {
          nextIndexes.add(pending.get(j));
          nextEvents.add(pendingEvents.get(j));
        }
      }
      boolean last = nextIndexes.isEmpty();
      AppendResult appended = append(command, round, last, dedup.unique(), letters);
      for (int j = 0; j < pending.size(); j++) {
        BatchDeduplicator.Outcome outcome = dedup.outcomes().get(j);
        int index = pending.get(j);
        Optional<String> eventId = Optional.of(pendingEvents.get(j).event().eventId());
        if (outcome instanceof BatchDeduplicator.Outcome.Unique unique) {
          results[index] = new EventResult(index, eventId, status(appended.perEvent().get(unique.uniqueIndex())),
              List.of());
        } else if (outcome instanceof BatchDeduplicator.Outcome.Duplicate duplicate) {
          EventStatus first = results[pending.get(duplicate.firstIndex())].status();
          results[index] = new EventResult(index, eventId,
              first == EventStatus.ACCEPTED ? EventStatus.DUPLICATE : first, List.of());
        }
      }
      pending = nextIndexes;
      pendingEvents = nextEvents;
      round++;
    } while (!pending.isEmpty());
  }

  /** Only the last round carries the position and the dead letters, so they commit together. */
  private AppendResult append(IngestCommand command, int round, boolean last, List<FingerprintedEvent> unique,
      List<DeadLetter> batchLetters) {
    IngestSource source = command.source();
    List<DeadLetter> letters = batchLetters;
    if (!last) {
      // The lease stays: every round is fenced, not only the one that moves the offset.
      source = new IngestSource(source.requestId(), Optional.empty(), source.lease());
      letters = List.of();
    }
    if (unique.isEmpty() && source.position().isEmpty() && letters.isEmpty()) {
      return AppendResult.of(List.of());
    }
    String batchId = round == 0 ? command.batchId() : command.batchId() + "/" + (round + 1);
    return events.append(new IngestionBatch(batchId, source, unique, letters));
  }

  private static EventStatus status(AppendOutcome outcome) {
    return switch (outcome) {
      case INSERTED -> EventStatus.ACCEPTED;
      case DUPLICATE -> EventStatus.DUPLICATE;
      case CONFLICT -> EventStatus.CONFLICT;
    };
  }

  /**
   * Authorizes every organisation named in the batch. A batch naming no readable organisation (all of them
   * malformed) still needs the permission somewhere, so it is checked on the actor's own first scope, or on
   * the platform scope for an actor without scopes.
   */
  private void authorize(IngestCommand command) {
    TreeSet<String> orgs = new TreeSet<>();
    command.candidates().forEach(c -> c.orgId().filter(UsageEventRules::isCanonicalUuid)
        .ifPresent(org -> orgs.add(org.toLowerCase(Locale.ROOT))));
    command.events().forEach(e -> orgs.add(e.orgId().toString()));
    if (orgs.isEmpty()) {
      ResourceScope scope = command.actor().orgs().stream().sorted().findFirst()
          .map(org -> ResourceScope.org(org.orgId())).orElseGet(ResourceScope::platform);
      accessGuard.require(command.actor(), Permission.EVENTS_WRITE, scope, "events.ingest");
      return;
    }
    // One audit append for all of them: a stream batch can name dozens of organisations.
    accessGuard.requireAll(command.actor(), Permission.EVENTS_WRITE,
        orgs.stream().map(ResourceScope::org).toList(), "events.ingest");
  }
}
