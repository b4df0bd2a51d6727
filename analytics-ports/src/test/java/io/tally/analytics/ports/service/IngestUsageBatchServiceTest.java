package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.in.IngestUsageBatch.EventStatus;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.memory.RecordingAccessGuard;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.UsageEventStore;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class IngestUsageBatchServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private final InMemoryUsageModule tally = new InMemoryUsageModule(NOW);
  private int batches;

  private IngestReport ingest(UsageEventCandidate... candidates) {
    return ingest(IngestSource.http("req-" + batches), candidates);
  }

  /** A stream source gets one message per candidate, the last one at the position's offset. */
  private IngestReport ingest(IngestSource source, UsageEventCandidate... candidates) {
    List<Long> offsets = source.position()
        .map(p -> LongStream.rangeClosed(p.lastOffset() - candidates.length + 1, p.lastOffset()).boxed().toList())
        .orElse(List.of());
    return tally.ingest.ingest(new IngestCommand(Actors.adminOf(UsageEvents.ORG_A), "b-" + (++batches), source,
        List.of(candidates), offsets, List.of()));
  }

  private static List<EventStatus> statuses(IngestReport report) {
    return report.results().stream().map(r -> r.status()).toList();
  }

  private static UsageEventCandidate badTokens(String line) {
    return badTokens("bad-1", line);
  }

  private static UsageEventCandidate badTokens(String eventId, String line) {
    Map<String, String> fields = new HashMap<>();
    fields.put("eventId", eventId);
    fields.put("orgId", UsageEvents.ORG_A.toString());
    fields.put("occurredAt", "2026-10-01T00:00:00Z");
    fields.put("modelId", "llama-3-70b");
    fields.put("inputTokens", "-5");
    fields.put("outputTokens", "1");
    fields.put("latencyMs", "1");
    fields.put("status", "maybe");
    return UsageEventCandidate.fromWireFields(fields, Optional.of(line));
  }

  /** Issue 12: the stream prepares a batch while the one before commits; only the commit authorizes and writes. */
  @Test
  void prepareWritesAndAuthorizesNothingAndItsCommitDoesWhatIngestDoes() {
    UsageEvent ok = UsageEvents.anEvent().build();
    IngestCommand command = new IngestCommand(Actors.adminOf(UsageEvents.ORG_A), "b-prepared",
        IngestSource.http("req-p"), List.of(UsageEventCandidate.fromEvent(ok), badTokens("{raw line}")));

    var prepared = tally.ingest.prepare(command);

    assertThat(tally.events.find(ok.key())).isEmpty();
    assertThat(tally.deadLetters.count()).isZero();
    assertThat(tally.accessGuard.decisions()).isEmpty();

    IngestReport report = prepared.commit();

    assertThat(statuses(report)).containsExactly(EventStatus.ACCEPTED, EventStatus.REJECTED);
    assertThat(tally.events.find(ok.key())).map(FingerprintedEvent::event).contains(ok);
    assertThat(tally.deadLetters.count()).isEqualTo(1);
    assertThat(tally.accessGuard.decisions()).hasSize(1);
    assertThat(statuses(prepared.commit())).as("a retried commit is judged afresh against the store")
        .containsExactly(EventStatus.DUPLICATE, EventStatus.REJECTED);
  }

  @Test
  void acceptsValidEventsAndDeadLettersInvalidOnesWithEveryReason() {
    UsageEvent ok = UsageEvents.anEvent().build();
    IngestReport report = ingest(UsageEventCandidate.fromEvent(ok), badTokens("{raw line}"));
    assertThat(statuses(report)).containsExactly(EventStatus.ACCEPTED, EventStatus.REJECTED);
    assertThat(report.results().get(1).violations()).extracting(Violation::errorCode)
        .containsExactly("event.invalid_tokens", "event.invalid_status");
    assertThat(report.results().get(1).eventId()).contains("bad-1");
    assertThat(tally.events.find(ok.key())).map(FingerprintedEvent::event).contains(ok);
    DeadLetter letter = tally.deadLetters.latest(1).get(0);
    assertThat(letter.payload()).isEqualTo("{raw line}");
    assertThat(letter.source()).isEqualTo(IngestSource.http("req-0"));
    assertThat(letter.violations()).hasSize(2);
    assertThat(letter.receivedAt()).isEqualTo(NOW);
  }

  @Test
  void classifiesRepeatsInsideAndAcrossBatchesAgainstTheFirstWrite() {
    UsageEvent a = UsageEvents.anEvent().build();
    UsageEvent aChanged = UsageEvents.from(a).withTokens(1, 1).build();
    UsageEvent b = UsageEvents.anEvent().build();
    IngestReport first = ingest(UsageEventCandidate.fromEvent(a), UsageEventCandidate.fromEvent(a),
        UsageEventCandidate.fromEvent(aChanged), UsageEventCandidate.fromEvent(b));
    assertThat(statuses(first)).containsExactly(EventStatus.ACCEPTED, EventStatus.DUPLICATE, EventStatus.CONFLICT,
        EventStatus.ACCEPTED);
    assertThat(tally.events.conflictingPayloads(a.key())).extracting(FingerprintedEvent::event)
        .containsExactly(aChanged);

    IngestReport second = ingest(UsageEventCandidate.fromEvent(aChanged), UsageEventCandidate.fromEvent(a),
        UsageEventCandidate.fromEvent(aChanged), UsageEventCandidate.fromEvent(b));
    assertThat(statuses(second)).containsExactly(EventStatus.CONFLICT, EventStatus.DUPLICATE,
        EventStatus.CONFLICT, EventStatus.DUPLICATE);
    assertThat(tally.events.find(a.key())).map(FingerprintedEvent::event).contains(a);
  }

  @Test
  void acceptsEventsWithoutCostAndCountsTheOnesNoPriceCovers() {
    UsageEvent priceable = UsageEvents.anEvent().withoutCost().withTokens(1_000_000, 500_000).build();
    UsageEvent unknownModel = UsageEvents.anEvent().withId("q-1").withoutCost().withModel("qwen-14b").build();
    UsageEvent ownCost = UsageEvents.anEvent().withId("q-2").withModel("qwen-14b").withCost(5).build();
    IngestReport report = ingest(UsageEventCandidate.fromEvent(priceable),
        UsageEventCandidate.fromEvent(unknownModel), UsageEventCandidate.fromEvent(ownCost),
        UsageEventCandidate.fromEvent(unknownModel));
    assertThat(statuses(report)).containsExactly(EventStatus.ACCEPTED, EventStatus.ACCEPTED, EventStatus.ACCEPTED,
        EventStatus.DUPLICATE);
    assertThat(tally.events.find(priceable.key())).map(FingerprintedEvent::event).contains(priceable);
    assertThat(tally.events.find(priceable.key())).map(FingerprintedEvent::fingerprint)
        .contains(FingerprintedEvent.of(priceable).fingerprint());
    assertThat(tally.deadLetters.count()).isZero();
    assertThat(tally.unpricedCounts).as("only the stored event no price covers").containsExactly(
        Map.entry("qwen-14b", 1L));
    ingest(UsageEventCandidate.fromEvent(unknownModel));
    assertThat(tally.unpricedCounts).as("a resend is not counted again").containsExactly(Map.entry("qwen-14b", 1L));
  }

  @Test
  void theFutureSkewRuleUsesTheClock() {
    UsageEvent soon = UsageEvents.anEvent().at(NOW.plusSeconds(600)).build();
    assertThat(statuses(ingest(UsageEventCandidate.fromEvent(soon)))).containsExactly(EventStatus.REJECTED);
    tally.clock.set(NOW.plusSeconds(600));
    assertThat(statuses(ingest(UsageEventCandidate.fromEvent(soon)))).containsExactly(EventStatus.ACCEPTED);
  }

  @Test
  void aStreamBatchOfOnlyInvalidEventsStillMovesThePosition() {
    StreamPosition position = new StreamPosition("analytics.usage.v1", "tally", 77);
    ingest(IngestSource.stream(position), badTokens("x"));
    assertThat(tally.events.committedOffset("analytics.usage.v1", "tally")).contains(77L);
    assertThat(tally.deadLetters.count()).isEqualTo(1);
  }

  @Test
  void aStreamBatchWithInBatchConflictsCommitsItsPosition() {
    UsageEvent a = UsageEvents.anEvent().build();
    StreamPosition position = new StreamPosition("s", "c", 12);
    IngestReport report = ingest(IngestSource.stream(position), UsageEventCandidate.fromEvent(a),
        UsageEventCandidate.fromEvent(UsageEvents.from(a).withLatency(9).build()));
    assertThat(statuses(report)).containsExactly(EventStatus.ACCEPTED, EventStatus.CONFLICT);
    assertThat(tally.events.committedOffset("s", "c")).contains(12L);
  }

  @Test
  void aStreamDeadLetterCarriesItsOwnMessageOffset() {
    UsageEvent ok = UsageEvents.anEvent().build();
    ingest(IngestSource.stream(new StreamPosition("s", "c", 12)), badTokens("first"),
        UsageEventCandidate.fromEvent(ok), badTokens("bad-3", "third"));
    assertThat(tally.deadLetters.latest(10)).extracting(DeadLetter::payload, DeadLetter::messageOffset)
        .containsExactly(tuple("third", Optional.of(12L)), tuple("first", Optional.of(10L)));
    assertThat(tally.deadLetters.latest(10)).allSatisfy(l ->
        assertThat(l.source().position()).map(p -> p.stream() + "/" + p.consumer()).contains("s/c"));
  }

  @Test
  void callerMadeDeadLettersAreStoredWithTheBatchInMessageOrder() {
    StreamPosition end = new StreamPosition("s", "c", 5);
    DeadLetter notJson = new DeadLetter("b-x", IngestSource.stream(new StreamPosition("s", "c", 5)), "<xml/>",
        List.of(new Violation("stream.not_json", "body", "not JSON")), NOW);
    tally.ingest.ingest(new IngestCommand(Actors.adminOf(UsageEvents.ORG_A), "b-x", IngestSource.stream(end),
        List.of(badTokens("at four")), List.of(4L), List.of(notJson)));
    assertThat(tally.deadLetters.latest(10)).extracting(DeadLetter::payload).containsExactly("<xml/>", "at four");
    assertThat(tally.events.committedOffset("s", "c")).contains(5L);
  }

  @Test
  void anHttpBatchOfOnlyInvalidEventsKeepsItsDeadLetters() {
    ingest(badTokens("one"), badTokens("bad-2", "two"));
    assertThat(tally.deadLetters.count()).isEqualTo(2);
  }

  @Test
  void whenTheAppendFailsNoDeadLetterIsKeptAndARedeliveryWritesThemOnce() {
    StreamPosition position = new StreamPosition("s", "c", 3);
    UsageEvent ok = UsageEvents.anEvent().build();
    tally.data.refuseDeadLetterPayload("refused");
    IngestCommand command = new IngestCommand(Actors.adminOf(UsageEvents.ORG_A), "b-r", IngestSource.stream(position),
        List.of(badTokens("kept"), UsageEventCandidate.fromEvent(ok), badTokens("bad-2", "refused")),
        List.of(1L, 2L, 3L), List.of());
    assertThatThrownBy(() -> tally.ingest.ingest(command)).isInstanceOf(IllegalStateException.class);
    assertThat(tally.deadLetters.count()).isZero();
    assertThat(tally.events.committedOffset("s", "c")).isEmpty();
    assertThat(tally.events.find(ok.key())).isEmpty();

    IngestCommand redelivered = new IngestCommand(command.actor(), command.batchId(), command.source(),
        List.of(badTokens("kept"), UsageEventCandidate.fromEvent(ok)), List.of(1L, 2L), List.of());
    tally.ingest.ingest(redelivered);
    tally.ingest.ingest(redelivered);
    assertThat(tally.deadLetters.count()).isEqualTo(1);
    assertThat(tally.events.committedOffset("s", "c")).contains(3L);
  }

  @Test
  void deadLettersRideOnTheLastRoundWithThePosition() {
    UsageEvent a = UsageEvents.anEvent().build();
    IngestReport report = ingest(IngestSource.stream(new StreamPosition("s", "c", 20)), UsageEventCandidate.fromEvent(a),
        UsageEventCandidate.fromEvent(UsageEvents.from(a).withLatency(9).build()), badTokens("bad"));
    assertThat(statuses(report)).containsExactly(EventStatus.ACCEPTED, EventStatus.CONFLICT, EventStatus.REJECTED);
    assertThat(tally.deadLetters.latest(5)).extracting(DeadLetter::messageOffset).containsExactly(Optional.of(20L));
    assertThat(tally.events.committedOffset("s", "c")).contains(20L);
  }

  /** Issue 12e: every round of a batch is fenced by its stream lease, not only the last one with the position. */
  @Test
  void everyRoundCarriesTheBatchsStreamLease() {
    List<IngestSource> appended = new ArrayList<>();
    UsageEventStore recording = (UsageEventStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {UsageEventStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("append")) {
            appended.add(((IngestionBatch) args[0]).source());
          }
          try {
            return method.invoke(tally.events, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    IngestUsageBatchService service = new IngestUsageBatchService(tally.accessGuard,
        UsageEventValidator.withDefaults(), recording, tally.prices, tally.clock);
    StreamPosition end = new StreamPosition("s", "c", 20);
    StreamLeaseToken lease = new StreamLeaseToken("s", "c", "a", 2);
    UsageEvent a = UsageEvents.anEvent().build();
    service.ingest(new IngestCommand(Actors.system(), "b", IngestSource.stream(end, lease),
        List.of(UsageEventCandidate.fromEvent(a), UsageEventCandidate.fromEvent(UsageEvents.from(a).withLatency(9)
            .build())), List.of(19L, 20L), List.of()));

    assertThat(appended).as("a conflict within the batch takes a second round").hasSize(2);
    assertThat(appended).extracting(IngestSource::lease).containsOnly(Optional.of(lease));
    assertThat(appended).extracting(IngestSource::position).containsExactly(Optional.empty(), Optional.of(end));
  }

  @Test
  void aStreamCommandNamesEveryCandidatesMessageOffset() {
    IngestSource stream = IngestSource.stream(new StreamPosition("s", "c", 9));
    List<UsageEventCandidate> one = List.of(UsageEvents.anEvent().candidate());
    assertThatThrownBy(() -> new IngestCommand(Actors.system(), "b", stream, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IngestCommand(Actors.system(), "b", stream, one, List.of(10L), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IngestCommand(Actors.system(), "b", stream, one, List.of(1L, 2L), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IngestCommand(Actors.system(), "b", IngestSource.http("r"), one, List.of(1L),
        List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(new IngestCommand(Actors.system(), "b", stream, List.of()).candidates()).isEmpty();
  }

  @Test
  void authorizesEveryOrgInTheBatchAndStoresNothingWhenOneIsDenied() {
    UsageEvent mine = UsageEvents.anEvent().withOrg(UsageEvents.ORG_A).build();
    UsageEvent theirs = UsageEvents.anEvent().withOrg(UsageEvents.ORG_B).build();
    assertThatThrownBy(() -> ingest(UsageEventCandidate.fromEvent(mine), UsageEventCandidate.fromEvent(theirs)))
        .isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("auth.cross_org"));
    assertThat(tally.events.count(new EventRange(UsageEvents.ORG_A, Instant.EPOCH, NOW, Optional.empty())))
        .isZero();
    assertThat(tally.accessGuard.decisions()).extracting(RecordingAccessGuard.Decision::permission)
        .containsOnly(Permission.EVENTS_WRITE);
  }

  @Test
  void aReaderMayNotIngest() {
    IngestCommand command = new IngestCommand(Actors.withPermission("analytics:usage:read", UsageEvents.ORG_A),
        "b", IngestSource.direct(), List.of(UsageEvents.anEvent().candidate()));
    assertThatThrownBy(() -> tally.ingest.ingest(command)).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("auth.forbidden"));
  }
}
