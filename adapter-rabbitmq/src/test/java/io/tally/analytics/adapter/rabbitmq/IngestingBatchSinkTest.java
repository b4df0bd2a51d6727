package io.tally.analytics.adapter.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEventKey;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.testdata.Actors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestingBatchSinkTest {
  private static final String ORG = "00000000-0000-0000-0000-000000000001";
  private static final String JSON = "application/json";

  private final InMemoryUsageModule tally = new InMemoryUsageModule(Instant.parse("2026-11-01T00:00:00Z"));
  private final IngestingBatchSink sink = new IngestingBatchSink(tally.ingest,
      new StoreOffsetSource(tally.events), tally.clock, Actors.system());

  private static String event(String id, String tokens) {
    return "{\"eventId\":\"" + id + "\",\"orgId\":\"" + ORG + "\",\"occurredAt\":\"2026-10-03T10:15:30.123Z\","
        + "\"modelId\":\"llama-3-70b\",\"inputTokens\":" + tokens + ",\"outputTokens\":230,\"latencyMs\":912,"
        + "\"status\":\"success\"}";
  }

  private static StreamMessage message(long offset, String body, String contentType) {
    return new StreamMessage(offset, body.getBytes(StandardCharsets.UTF_8), Optional.ofNullable(contentType), 0);
  }

  private static StreamBatch batch(StreamMessage... messages) {
    return new StreamBatch("usage", "ingest", messages[0].offset(), messages[messages.length - 1].offset(),
        List.of(messages));
  }

  private Optional<Long> committed() {
    return tally.events.committedOffset("usage", "ingest");
  }

  private DeadLetter onlyDeadLetter() {
    assertThat(tally.deadLetters.count()).isEqualTo(1);
    return tally.deadLetters.latest(1).get(0);
  }

  private static Violation onlyViolation(DeadLetter letter) {
    assertThat(letter.violations()).hasSize(1);
    return letter.violations().get(0);
  }

  @Test
  void validEventsAreStoredWithTheBatchPosition() {
    sink.accept(batch(message(10, event("a", "812"), JSON), message(11, event("b", "5"), JSON)));

    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "a"))).isPresent()
        .get().satisfies(e -> assertThat(e.event().inputTokens()).isEqualTo(812));
    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "b"))).isPresent();
    assertThat(committed()).contains(11L);
    assertThat(sink.totals()).isEqualTo(new IngestTotals(1, 2, 0, 0, 0, 0, 0));
  }

  /** Issue 12e: a consumer started under a stream lease hands its token with every batch, for the store's fence. */
  @Test
  void aLeasedSinkSendsItsLeaseWithTheBatch() {
    List<IngestSource> sources = new ArrayList<>();
    IngestUsageBatch recording = new IngestUsageBatch() {
      @Override
      public IngestReport ingest(IngestCommand command) {
        sources.add(command.source());
        return tally.ingest.ingest(command);
      }

      @Override
      public Prepared prepare(IngestCommand command) {
        sources.add(command.source());
        return tally.ingest.prepare(command);
      }
    };
    StreamLeaseToken lease = new StreamLeaseToken("usage", "ingest", "a", 7);
    new IngestingBatchSink(recording, new StoreOffsetSource(tally.events), tally.clock, Actors.system(),
        Optional.of(lease)).accept(batch(message(10, event("a", "812"), JSON)));

    assertThat(sources).extracting(IngestSource::lease).containsOnly(Optional.of(lease));
    assertThat(sources).extracting(IngestSource::position)
        .containsOnly(Optional.of(new StreamPosition("usage", "ingest", 10)));
    assertThat(committed()).contains(10L);
  }

  /** Issue 12: the consumer prepares batch N+1 while N commits; preparing writes nothing. */
  @Test
  void preparingABatchWritesNothingAndItsCommitStoresItWithThePosition() throws Exception {
    StreamBatchSink.Prepared prepared = sink.prepare(batch(message(10, event("a", "812"), JSON),
        message(11, "not json", JSON)));

    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "a"))).isEmpty();
    assertThat(tally.deadLetters.count()).isZero();
    assertThat(committed()).isEmpty();
    assertThat(sink.totals()).isEqualTo(new IngestTotals(0, 0, 0, 0, 0, 0, 0));

    prepared.commit();

    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "a"))).isPresent();
    assertThat(onlyDeadLetter().messageOffset()).contains(11L);
    assertThat(committed()).contains(11L);
    assertThat(sink.totals()).isEqualTo(new IngestTotals(1, 1, 0, 0, 0, 1, 0));
  }

  /**
   * A batch prepared before the batch that overlaps it committed (only after a lost acknowledgement) ingests its
   * fresh messages only, under the batch id of those, as the unpipelined sink does.
   */
  @Test
  void aPreparedBatchWhoseStartIsCommittedMeanwhileIngestsOnlyItsFreshMessages() throws Exception {
    StreamBatchSink.Prepared prepared = sink.prepare(batch(message(10, event("a", "1"), JSON),
        message(11, event("b", "2"), JSON), message(12, "not json", JSON)));
    sink.accept(batch(message(10, event("a", "1"), JSON)));

    prepared.commit();

    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "b"))).isPresent();
    assertThat(onlyDeadLetter().batchId()).isEqualTo(IngestingBatchSink.batchId("usage", "ingest", 11, 12));
    assertThat(committed()).contains(12L);
    assertThat(sink.totals()).isEqualTo(new IngestTotals(2, 2, 0, 0, 0, 1, 1));
  }

  @Test
  void whatThePublisherSendsIsAccepted() {
    Instant at = Instant.parse("2026-10-03T10:15:30.123Z");
    byte[] plain = UsageEventMessage.ok("p1", ORG, at, "mistral-7b", 100, 20, 300).toJson();
    byte[] full = UsageEventMessage.ok("p2", ORG, at, "llama-3-70b", 812, 230, 912).withCostMicros(1_840)
        .withError("upstream_timeout").withApiKeyId("key_12").withRegion("us-east").toJson();
    sink.accept(batch(new StreamMessage(0, plain, Optional.of(UsageEventPublisher.CONTENT_TYPE), 0),
        new StreamMessage(1, full, Optional.of(UsageEventPublisher.CONTENT_TYPE + "; charset=utf-8"), 0)));

    assertThat(tally.deadLetters.latest(10)).isEmpty();
    assertThat(sink.totals().accepted()).isEqualTo(2);
    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "p2"))).get()
        .satisfies(e -> assertThat(e.event().costMicros()).contains(1_840L));
  }

  /** Issue 8: the event-time window holds on the stream path too, event by event, with the message's offset. */
  @Test
  void eventsOutsideTheEventTimeWindowAreDeadLetteredOneByOneAndTheRestIsStored() {
    String ancient = event("old", "1").replace("2026-10-03T10:15:30.123Z", "1600-01-01T00:00:00Z");
    String future = event("ahead", "1").replace("2026-10-03T10:15:30.123Z", "+300000-01-01T00:00:00Z");
    sink.accept(batch(message(20, ancient, JSON), message(21, event("ok", "5"), JSON), message(22, future, JSON)));

    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "ok"))).isPresent();
    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "old"))).isEmpty();
    assertThat(committed()).contains(22L);
    List<DeadLetter> letters = tally.deadLetters.latest(10);
    assertThat(letters).hasSize(2);
    assertThat(letters).extracting(l -> l.violations().get(0).errorCode())
        .containsExactlyInAnyOrder("event.too_old", "event.in_future");
    assertThat(letters).extracting(DeadLetter::messageOffset)
        .containsExactlyInAnyOrder(Optional.of(20L), Optional.of(22L));
  }

  @Test
  void wrongContentTypeIsDeadLetteredWithPayloadAndItsOwnOffset() {
    String body = event("a", "812");
    sink.accept(batch(message(7, body, "text/plain"), message(8, event("b", "1"), JSON)));

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.payload()).isEqualTo(body);
    assertThat(onlyViolation(letter).errorCode()).isEqualTo("stream.unsupported_content_type");
    assertThat(onlyViolation(letter).message()).startsWith("offset 7:").contains("text/plain");
    assertThat(letter.source()).isEqualTo(IngestSource.stream(new StreamPosition("usage", "ingest", 7)));
    assertThat(letter.messageOffset()).contains(7L);
    assertThat(letter.batchId()).isEqualTo(IngestingBatchSink.batchId("usage", "ingest", 7, 8));
    assertThat(letter.receivedAt()).isEqualTo(tally.clock.now());
    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "a"))).isEmpty();
    assertThat(committed()).contains(8L);
  }

  @Test
  void missingContentTypeIsDeadLettered() {
    sink.accept(batch(message(0, event("a", "1"), null)));
    assertThat(onlyViolation(onlyDeadLetter()).message()).contains("no content-type");
  }

  @Test
  void bodiesThatAreNotOneJsonDocumentAreMalformedAndOtherValuesAreNotAnObject() {
    List<String> bodies = List.of("not json", "[1,2]", "\"text\"", "42", "", "{\"eventId\":\"a\"",
        "{\"eventId\":\"a\"} {\"eventId\":\"b\"}", event("a", "1").replace("\"modelId\"", "\"eventId\":\"x\",\"modelId\""));
    List<StreamMessage> messages = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) messages.add(message(100 + i, bodies.get(i), JSON));

    sink.accept(batch(messages.toArray(StreamMessage[]::new)));

    List<DeadLetter> letters = tally.deadLetters.latest(100);
    assertThat(letters).hasSize(bodies.size());
    // A JSON document that is not an object gets the code HTTP gives such an element (one wire reader).
    assertThat(letters).allSatisfy(l -> assertThat(onlyViolation(l).errorCode()).isEqualTo(
        List.of("[1,2]", "\"text\"", "42").contains(l.payload()) ? "event.not_an_object" : "stream.malformed_message"));
    assertThat(letters).extracting(DeadLetter::payload).containsExactlyInAnyOrderElementsOf(bodies);
    assertThat(letters).extracting(l -> onlyViolation(l).message())
        .anySatisfy(m -> assertThat(m).startsWith("offset 101:").contains("JSON array"))
        .anySatisfy(m -> assertThat(m).startsWith("offset 104:").contains("empty"))
        .anySatisfy(m -> assertThat(m).startsWith("offset 106:").contains("after the JSON document"))
        .anySatisfy(m -> assertThat(m).startsWith("offset 107:").containsIgnoringCase("duplicate"));
    assertThat(committed()).contains(107L);
    assertThat(sink.totals()).isEqualTo(new IngestTotals(1, 0, 0, 0, 0, bodies.size(), 0));
  }

  @Test
  void invalidUtf8IsMalformedAndNulNeverReachesThePayload() {
    byte[] body = {'{', (byte) 0xC3, 0x28, 0, '}'};
    sink.accept(batch(new StreamMessage(3, body, Optional.of(JSON), 0)));

    DeadLetter letter = onlyDeadLetter();
    assertThat(onlyViolation(letter).message()).isEqualTo("offset 3: body is not valid UTF-8");
    assertThat(letter.payload()).doesNotContain("\u0000").startsWith("{");
  }

  @Test
  void aNestedUsageFieldIsRejectedButUnknownNestedFieldsAreIgnored() {
    String nested = event("a", "{\"value\":812}");
    String extra = event("b", "5").replace("}", ",\"metadata\":{\"team\":[1,2]},\"region\":null}");
    sink.accept(batch(message(0, nested, JSON), message(1, extra, JSON)));

    Violation v = onlyViolation(onlyDeadLetter());
    assertThat(v.errorCode()).isEqualTo("event.nested_value");
    assertThat(v.field()).isEqualTo("inputTokens");
    assertThat(tally.events.find(new UsageEventKey(UUID.fromString(ORG), "b"))).isPresent()
        .get().satisfies(e -> assertThat(e.event().region()).isEmpty());
  }

  @Test
  void numbersReachTheValidatorAsWrittenSoItsRulesDecide() {
    sink.accept(batch(message(0, event("a", "812.5"), JSON), message(1, event("b", "-3"), JSON)));

    assertThat(tally.deadLetters.count()).isEqualTo(2);
    assertThat(tally.deadLetters.latest(2)).allSatisfy(l ->
        assertThat(l.violations()).extracting(Violation::errorCode).contains("event.invalid_tokens"));
    assertThat(tally.deadLetters.latest(2)).extracting(l -> l.source().position().orElseThrow())
        .containsExactly(new StreamPosition("usage", "ingest", 1), new StreamPosition("usage", "ingest", 0));
    assertThat(tally.deadLetters.latest(2)).extracting(DeadLetter::payload)
        .containsExactly(event("b", "-3"), event("a", "812.5"));
    assertThat(sink.totals().rejected()).isEqualTo(2);
  }

  @Test
  void anAllInvalidBatchStillCommitsItsPosition() {
    sink.accept(batch(message(40, "garbage", JSON), message(41, event("a", "-1"), JSON)));

    assertThat(committed()).contains(41L);
    assertThat(tally.deadLetters.count()).isEqualTo(2);
    assertThat(sink.totals().deadLettered()).isEqualTo(2);
  }

  @Test
  void aRedeliveredBatchIsNotIngestedOrDeadLetteredTwice() {
    StreamBatch b = batch(message(5, event("a", "1"), JSON), message(6, "garbage", JSON),
        message(7, event("c", "-1"), JSON));
    sink.accept(b);
    sink.accept(b);

    assertThat(tally.deadLetters.count()).isEqualTo(2);
    assertThat(sink.totals()).isEqualTo(new IngestTotals(1, 1, 0, 0, 1, 1, 3));
  }

  @Test
  void deadLettersAreWrittenOnlyWithTheBatchSoAFailedIngestLeavesNone() {
    IngestingBatchSink failing = new IngestingBatchSink(command -> {
      throw new IllegalStateException("database gone before the commit");
    }, new StoreOffsetSource(tally.events), tally.clock, Actors.system());
    StreamBatch b = batch(message(5, "garbage", JSON), message(6, event("c", "-1"), JSON));

    assertThatThrownBy(() -> failing.accept(b)).hasMessageContaining("database gone");
    assertThat(tally.deadLetters.count()).isZero();

    sink.accept(b);
    assertThat(tally.deadLetters.latest(10)).extracting(DeadLetter::messageOffset)
        .containsExactly(Optional.of(6L), Optional.of(5L));
  }

  @Test
  void aMessageDeliveredAgainDespiteTheOffsetCheckIsStillDeadLetteredOnce() {
    IngestingBatchSink forgetful = new IngestingBatchSink(tally.ingest, (stream, consumer) -> OptionalLong.empty(),
        tally.clock, Actors.system());
    StreamBatch b = batch(message(5, "garbage", JSON), message(6, event("c", "-1"), JSON));
    forgetful.accept(b);
    forgetful.accept(b);
    forgetful.accept(batch(message(6, event("c", "-1"), JSON), message(7, "more garbage", JSON)));

    assertThat(tally.deadLetters.count()).isEqualTo(3);
  }

  @Test
  void anOverlappingBatchIngestsOnlyItsNewMessages() {
    sink.accept(batch(message(5, event("a", "1"), JSON), message(6, "garbage", JSON)));
    sink.accept(batch(message(6, "garbage", JSON), message(7, "garbage again", JSON)));

    assertThat(tally.deadLetters.count()).isEqualTo(2);
    assertThat(tally.deadLetters.latest(1).get(0).batchId())
        .isEqualTo(IngestingBatchSink.batchId("usage", "ingest", 7, 7));
    assertThat(committed()).contains(7L);
  }

  @Test
  void batchIdsAreAFunctionOfTheOffsets() {
    assertThat(IngestingBatchSink.batchId("s", "c", 1, 9)).isEqualTo(IngestingBatchSink.batchId("s", "c", 1, 9))
        .isNotEqualTo(IngestingBatchSink.batchId("s", "c", 1, 8))
        .isNotEqualTo(IngestingBatchSink.batchId("s", "d", 1, 9));
  }

  @Test
  void storeOffsetSourceReadsTheCommittedPosition() {
    StoreOffsetSource offsets = new StoreOffsetSource(tally.events);
    assertThat(offsets.committedOffset("usage", "ingest")).isEmpty();
    sink.accept(batch(message(12, event("a", "1"), JSON)));
    assertThat(offsets.committedOffset("usage", "ingest")).isEqualTo(OptionalLong.of(12));
    assertThat(offsets.committedOffset("usage", "other")).isEmpty();
  }
}
