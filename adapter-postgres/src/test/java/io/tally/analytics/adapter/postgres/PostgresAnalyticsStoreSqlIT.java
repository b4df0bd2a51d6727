package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.T0;
import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.anEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventAggregator;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.analyticsevent.EventPayload;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where SQL could disagree with the Java reference: string order, sub-microsecond time, exotic payloads. */
class PostgresAnalyticsStoreSqlIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private PostgresAnalyticsStore store;

  @BeforeEach
  void emptyStore() {
    PolicyTables.empty(db);
    store = new PostgresAnalyticsStore(db.jdbi());
  }

  @Test
  void pagesAndGroupsFollowJavaStringOrderWhateverTheServerCollation() {
    List<String> ids = List.of("b", "B", "a", "A", "_", "Z", "é", "z1", "10", "9");
    List<AnalyticsEvent> events = new ArrayList<>();
    for (String id : ids) {
      AnalyticsEvent e = anEvent().withId(id).withUtmSource("src-" + id).at(T0).build();
      events.add(e);
      store.ingest(e);
    }
    List<String> seen = new ArrayList<>();
    AnalyticsQuery q = AnalyticsQuery.firstPage(EventFilter.allOf("t1"), 3);
    while (true) {
      AnalyticsPage page = store.query(q);
      page.records().forEach(e -> seen.add(e.eventId()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
    }
    assertThat(seen).containsExactlyElementsOf(ids.stream().sorted(Comparator.naturalOrder()).toList());

    AggregationSpec spec = AggregationSpec.parse("events", List.of("utm_source"), Optional.of("hour"));
    assertThat(store.aggregate(spec, EventFilter.allOf("t1")))
        .isEqualTo(EventAggregator.aggregate(spec, EventFilter.allOf("t1"), events));
  }

  @Test
  void aggregationMatchesTheInMemoryReferenceIncludingAbsentValues() {
    List<AnalyticsEvent> events = new ArrayList<>();
    String[] sources = {"google", null, "bing"};
    String[] types = {"pageview", "click", "pageview", "signup"};
    for (int i = 0; i < 60; i++) {
      AnalyticsEvent e = anEvent().withId("e" + i).withUtmSource(sources[i % 3]).ofType(types[i % 4])
          .onSurface(i % 5 == 0 ? null : "s" + (i % 2)).at(T0.plusSeconds(1800L * i)).build();
      events.add(e);
      store.ingest(e);
    }
    EventFilter filter = EventFilter.allOf("t1").between(T0.plusSeconds(3600), T0.plusSeconds(3600 * 20));
    for (AggregationSpec spec : List.of(
        AggregationSpec.parse("events", List.of(), Optional.empty()),
        AggregationSpec.parse("pageviews", List.of("utm_source", "surface"), Optional.empty()),
        AggregationSpec.parse("count:signup", List.of("surface"), Optional.of("day")),
        AggregationSpec.parse("events", List.of("event_type", "utm_source"), Optional.of("hour")))) {
      AggregationResult expected = EventAggregator.aggregate(spec, filter, events);
      assertThat(store.aggregate(spec, filter)).as(spec.toString()).isEqualTo(expected);
    }
  }

  @Test
  void anAggregationMatchingNothingHasNoGroups() {
    AggregationResult r = store.aggregate(AggregationSpec.parse("events", List.of(), Optional.empty()),
        EventFilter.allOf("t1"));
    assertThat(r).isEqualTo(AggregationResult.empty("events"));
  }

  @Test
  void subMicrosecondTimesAreTruncatedAndCursorsStillWork() {
    Instant at = Instant.parse("2025-01-01T10:00:00.000000999Z");
    store.ingest(anEvent().withId("a").at(at).build());
    store.ingest(anEvent().withId("b").at(at).build());
    AnalyticsPage first = store.query(AnalyticsQuery.firstPage(EventFilter.allOf("t1"), 1));
    assertThat(first.records().get(0).occurredAt()).isEqualTo(Instant.parse("2025-01-01T10:00:00Z"));
    AnalyticsPage second = store.query(AnalyticsQuery.firstPage(EventFilter.allOf("t1"), 1)
        .after(first.nextCursor().orElseThrow()));
    assertThat(second.records()).extracting(AnalyticsEvent::eventId).containsExactly("b");
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void payloadNumbersComeBackExactly() {
    store.ingest(anEvent().withPayload(Map.of("big", new BigInteger("123456789012345678901234567890"),
        "precise", new BigDecimal("0.1000000000000000000001"), "max", Long.MAX_VALUE, "text", "ü \" \\ \t")).build());
    Map<String, Object> back = store.query(AnalyticsQuery.firstPage(EventFilter.allOf("t1"), 1)).records().get(0)
        .payload();
    assertThat(back.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(back.get("precise")).isEqualTo(new BigDecimal("0.1000000000000000000001"));
    assertThat(back.get("max")).isEqualTo(Long.MAX_VALUE);
    assertThat(back.get("text")).isEqualTo("ü \" \\ \t");
  }

  @Test
  void aPayloadPostgresCannotStoreIsAnInvalidPayloadNotAFault() {
    AnalyticsEvent withNul = anEvent().withPayload(Map.of("x", "a\u0000b")).build();
    assertThatThrownBy(() -> store.ingest(withNul)).isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo(EventPayload.INVALID);
  }
}
