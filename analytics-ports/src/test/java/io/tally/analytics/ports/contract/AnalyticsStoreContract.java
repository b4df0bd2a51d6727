package io.tally.analytics.ports.contract;

import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.T0;
import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.anEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventField;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link AnalyticsStore} backend must have. Subclass and return a store that is empty for the
 * tenants used here ({@link #tenant()} and {@link #otherTenant()}; override them to isolate runs on a shared
 * emulator).
 */
public abstract class AnalyticsStoreContract {
  protected AnalyticsStore store;

  /** @return a store with no events for {@link #tenant()} and {@link #otherTenant()} */
  protected abstract AnalyticsStore newStore();

  /** @return the main tenant of the suite */
  protected String tenant() {
    return "t1";
  }

  /** @return a second tenant, for isolation checks */
  protected String otherTenant() {
    return "t2";
  }

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  private AnalyticsEvent event(String id, int minutes) {
    return anEvent().forTenant(tenant()).withId(id).at(T0.plusSeconds(60L * minutes)).build();
  }

  private AnalyticsPage all(EventFilter filter) {
    return store.query(AnalyticsQuery.firstPage(filter, 1000));
  }

  @Test
  void ingestedEventReadsBackWithEveryField() {
    AnalyticsEvent e = anEvent().forTenant(tenant()).byUser("u1").withUtmMedium("cpc")
        .withPayload(Map.of("url", "https://example.com", "n", 3L, "ok", true, "ratio", 0.25,
            "nested", Map.of("list", List.of("a", 1L)))).build();
    assertThat(store.ingest(e)).isTrue();
    AnalyticsEvent back = all(EventFilter.allOf(tenant())).records().get(0);
    assertThat(back.eventId()).isEqualTo(e.eventId());
    assertThat(back.occurredAt()).isEqualTo(e.occurredAt());
    assertThat(back.attribution()).isEqualTo(e.attribution());
    assertThat(back.dimensions()).isEqualTo(e.dimensions());
    assertThat(back.userId()).contains("u1");
    assertThat(back.payload().keySet()).isEqualTo(e.payload().keySet());
    assertThat(back.payload().get("url")).isEqualTo("https://example.com");
    assertThat(((Number) back.payload().get("n")).longValue()).isEqualTo(3L);
    assertThat(new BigDecimal(back.payload().get("ratio").toString())).isEqualByComparingTo("0.25");
    assertThat(back.payload().get("ok")).isEqualTo(true);
  }

  @Test
  void ingestingTheSameIdTwiceKeepsTheFirst() {
    assertThat(store.ingest(event("e1", 0))).isTrue();
    assertThat(store.ingest(anEvent().forTenant(tenant()).withId("e1").ofType("click").build())).isFalse();
    AnalyticsPage page = all(EventFilter.allOf(tenant()));
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.records().get(0).eventType()).isEqualTo("pageview");
  }

  @Test
  void tenantsAreIsolated() {
    store.ingest(event("e1", 0));
    store.ingest(anEvent().forTenant(otherTenant()).withId("e1").build());
    assertThat(all(EventFilter.allOf(tenant())).total()).isEqualTo(1);
    assertThat(store.delete(otherTenant(), "e1")).isTrue();
    assertThat(all(EventFilter.allOf(tenant())).total()).isEqualTo(1);
  }

  @Test
  void timeRangeIsStartInclusiveEndExclusive() {
    for (int m = 0; m < 5; m++) {
      store.ingest(event("e" + m, m));
    }
    AnalyticsPage page = all(EventFilter.allOf(tenant()).between(T0.plusSeconds(60), T0.plusSeconds(180)));
    assertThat(page.records()).extracting(AnalyticsEvent::eventId).containsExactly("e1", "e2");
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void filtersOnAttributionDimensionsTypeAndUser() {
    store.ingest(anEvent().forTenant(tenant()).withId("g").withUtmSource("google").onSurface("homepage").build());
    store.ingest(anEvent().forTenant(tenant()).withId("b").withUtmSource("bing").onSurface("pricing").build());
    store.ingest(anEvent().forTenant(tenant()).withId("n").withUtmSource(null).ofType("click").byUser("u9").build());
    EventFilter base = EventFilter.allOf(tenant());
    assertThat(all(base.with(EventField.UTM_SOURCE, "google")).records()).extracting(AnalyticsEvent::eventId)
        .containsExactly("g");
    assertThat(all(base.with(EventField.SURFACE, "pricing")).records()).extracting(AnalyticsEvent::eventId)
        .containsExactly("b");
    assertThat(all(base.with(EventField.EVENT_TYPE, "click").with(EventField.USER_ID, "u9")).records())
        .extracting(AnalyticsEvent::eventId).containsExactly("n");
    assertThat(all(base.with(EventField.UTM_SOURCE, "google").with(EventField.SURFACE, "pricing")).total())
        .isZero();
  }

  @Test
  void cursorPagingVisitsEveryEventOnceInStoreOrder() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Two events per minute so the eventId tie-break is exercised.
      String id = "e" + (100 + i);
      store.ingest(event(id, i / 2));
      expected.add(id);
    }
    List<String> seen = new ArrayList<>();
    AnalyticsQuery q = AnalyticsQuery.firstPage(EventFilter.allOf(tenant()), 5);
    int pages = 0;
    while (true) {
      AnalyticsPage page = store.query(q);
      pages++;
      assertThat(page.total()).isEqualTo(23);
      assertThat(page.records()).hasSizeLessThanOrEqualTo(5);
      page.records().forEach(e -> seen.add(e.eventId()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void aggregatesCountTheMetricPerGroup() {
    store.ingest(anEvent().forTenant(tenant()).withId("1").withUtmSource("google").onSurface("home").build());
    store.ingest(anEvent().forTenant(tenant()).withId("2").withUtmSource("google").onSurface("home").build());
    store.ingest(anEvent().forTenant(tenant()).withId("3").withUtmSource("google").onSurface("pricing").build());
    store.ingest(anEvent().forTenant(tenant()).withId("4").withUtmSource("bing").onSurface("home").build());
    store.ingest(anEvent().forTenant(tenant()).withId("5").withUtmSource("bing").ofType("click").build());
    store.ingest(anEvent().forTenant(otherTenant()).withId("6").withUtmSource("bing").build());

    AggregationResult r = store.aggregate(
        AggregationSpec.parse("pageviews", List.of("utm_source", "surface"), Optional.empty()),
        EventFilter.allOf(tenant()));

    assertThat(r.metric()).isEqualTo("pageviews");
    assertThat(r.total()).isEqualTo(4);
    assertThat(r.groups()).extracting(g -> g.key().get("utm_source") + "/" + g.key().get("surface") + "=" + g.count())
        .containsExactly("bing/home=1", "google/home=2", "google/pricing=1");
  }

  @Test
  void aggregatesBucketByDayAndRespectTheFilter() {
    store.ingest(event("a", 0));
    store.ingest(event("b", 60 * 24));
    store.ingest(event("c", 60 * 24 + 1));
    store.ingest(anEvent().forTenant(tenant()).withId("d").withUtmSource("bing").at(T0).build());
    AggregationResult r = store.aggregate(AggregationSpec.parse("events", List.of(), Optional.of("day")),
        EventFilter.allOf(tenant()).with(EventField.UTM_SOURCE, "google"));
    assertThat(r.total()).isEqualTo(3);
    assertThat(r.groups()).extracting(g -> g.bucketStart().orElseThrow() + "=" + g.count())
        .containsExactly("2025-01-01T00:00:00Z=1", "2025-01-02T00:00:00Z=2");
  }

  @Test
  void deleteRemovesOneEvent() {
    store.ingest(event("e1", 0));
    store.ingest(event("e2", 1));
    assertThat(store.delete(tenant(), "e1")).isTrue();
    assertThat(store.delete(tenant(), "e1")).isFalse();
    assertThat(all(EventFilter.allOf(tenant())).records()).extracting(AnalyticsEvent::eventId)
        .containsExactly("e2");
  }

  @Test
  void deleteByUserRemovesOnlyThatUsersEventsInThatTenant() {
    store.ingest(anEvent().forTenant(tenant()).withId("1").byUser("u1").build());
    store.ingest(anEvent().forTenant(tenant()).withId("2").byUser("u1").build());
    store.ingest(anEvent().forTenant(tenant()).withId("3").byUser("u2").build());
    store.ingest(anEvent().forTenant(tenant()).withId("4").build());
    store.ingest(anEvent().forTenant(otherTenant()).withId("5").byUser("u1").build());
    assertThat(store.deleteByUser(tenant(), "u1")).isEqualTo(2);
    assertThat(store.deleteByUser(tenant(), "u1")).isZero();
    assertThat(all(EventFilter.allOf(tenant())).records()).extracting(AnalyticsEvent::eventId)
        .containsExactly("3", "4");
    assertThat(all(EventFilter.allOf(otherTenant())).total()).isEqualTo(1);
  }
}
