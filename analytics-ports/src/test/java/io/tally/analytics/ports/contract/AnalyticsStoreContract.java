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
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.TimeSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link AnalyticsStore} backend must have. Subclass and return a store that is empty for the
 * tenants used here ({@link #tenant()} and {@link #otherTenant()}; override them to isolate runs on a shared
 * emulator).
 *
 * <p>Backends that read by scanning (the document stores) also override {@link #newStore(Optional, ScanLimit)}, so
 * that retention ({@code ttl_days}) and the scan limit ({@code query.too_broad}) are checked; backends that have
 * neither (PostgreSQL aggregates natively and keeps events until erased) report those two tests as skipped with
 * the reason.
 */
public abstract class AnalyticsStoreContract {
  /** "Now" for stores that filter expired events: a day after the default event time. */
  protected static final Instant NOW = T0.plus(Duration.ofDays(1));

  protected AnalyticsStore store;
  private Instant now = NOW;

  /** @return a store with no events for {@link #tenant()} and {@link #otherTenant()} */
  protected abstract AnalyticsStore newStore();

  /**
   * @param retention the tenant's {@code ttl_days}
   * @param limit most events one call may read
   * @return a store with those settings reading the time from {@link #clock()}, or empty when the backend has
   *     neither setting
   */
  protected Optional<AnalyticsStore> newStore(Optional<Retention> retention, ScanLimit limit) {
    return Optional.empty();
  }

  /** @return the clock the stores of {@link #newStore(Optional, ScanLimit)} must read */
  protected final TimeSource clock() {
    return () -> now;
  }

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

  @Test
  void filtersOnProjectRequestRunAndStep() {
    store.ingest(anEvent().forTenant(tenant()).withId("a").inProject("p1").tracing("r1", "run1", "s1").build());
    store.ingest(anEvent().forTenant(tenant()).withId("b").inProject("p2").tracing("r2", "run1", "s2").build());
    store.ingest(anEvent().forTenant(tenant()).withId("c").inProject("p2").tracing(null, null, null).build());
    EventFilter base = EventFilter.allOf(tenant());
    assertThat(ids(base.with(EventField.PROJECT_ID, "p2"))).containsExactly("b", "c");
    assertThat(ids(base.with(EventField.REQUEST_ID, "r1"))).containsExactly("a");
    assertThat(ids(base.with(EventField.RUN_ID, "run1"))).containsExactly("a", "b");
    assertThat(ids(base.with(EventField.STEP_ID, "s2").with(EventField.PROJECT_ID, "p2"))).containsExactly("b");
    assertThat(all(base.with(EventField.STEP_ID, "s2").with(EventField.PROJECT_ID, "p1")).total()).isZero();
  }

  @Test
  void pagingMergesEventsAcrossDaysAndProjectsWithinTheRange() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // Three days, two projects, several events per minute: a partitioned store must merge its partitions.
      Instant at = T0.plus(Duration.ofHours(20L * (i % 3))).plusSeconds(60L * (i / 6));
      String id = "m" + (100 + i);
      store.ingest(anEvent().forTenant(tenant()).withId(id).inProject(i % 2 == 0 ? "p1" : "p2").at(at).build());
    }
    EventFilter range = EventFilter.allOf(tenant()).between(T0.plus(Duration.ofHours(20)), T0.plus(Duration.ofDays(3)));
    for (int i = 0; i < 30; i++) {
      Instant at = T0.plus(Duration.ofHours(20L * (i % 3))).plusSeconds(60L * (i / 6));
      if (!at.isBefore(T0.plus(Duration.ofHours(20)))) {
        expected.add("m" + (100 + i));
      }
    }
    List<String> sorted = all(range).records().stream().map(AnalyticsEvent::eventId).toList();
    List<String> seen = new ArrayList<>();
    AnalyticsQuery q = AnalyticsQuery.firstPage(range, 7);
    while (true) {
      AnalyticsPage page = store.query(q);
      assertThat(page.total()).isEqualTo(expected.size());
      page.records().forEach(e -> seen.add(e.eventId()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      q = q.after(page.nextCursor().get());
    }
    assertThat(seen).containsExactlyElementsOf(sorted).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(all(range).records()).isSortedAccordingTo(AnalyticsEvent.STORE_ORDER);
  }

  @Test
  void aggregatesGroupByProjectPerHour() {
    store.ingest(anEvent().forTenant(tenant()).withId("1").inProject("p1").at(T0).build());
    store.ingest(anEvent().forTenant(tenant()).withId("2").inProject("p1").at(T0.plusSeconds(1800)).build());
    store.ingest(anEvent().forTenant(tenant()).withId("3").inProject("p2").at(T0.plusSeconds(3600)).build());
    store.ingest(anEvent().forTenant(tenant()).withId("4").inProject("p2").at(T0.plusSeconds(3600)).ofType("click")
        .build());
    AggregationResult r = store.aggregate(AggregationSpec.parse("events", List.of("project_id"), Optional.of("hour")),
        EventFilter.allOf(tenant()));
    assertThat(r.total()).isEqualTo(4);
    assertThat(r.groups()).extracting(g -> g.bucketStart().orElseThrow() + "/" + g.key().get("project_id") + "="
        + g.count()).containsExactly("2025-01-01T10:00:00Z/p1=2", "2025-01-01T11:00:00Z/p2=2");
  }

  @Test
  void anEmptyTenantAnswersEmptyPagesAndAggregates() {
    assertThat(all(EventFilter.allOf(tenant())).total()).isZero();
    assertThat(all(EventFilter.allOf(tenant())).nextCursor()).isEmpty();
    assertThat(store.aggregate(AggregationSpec.parse("events", List.of("surface"), Optional.empty()),
        EventFilter.allOf(tenant())).groups()).isEmpty();
    assertThat(store.delete(tenant(), "missing")).isFalse();
    assertThat(store.deleteByUser(tenant(), "nobody")).isZero();
  }

  @Test
  void expiredEventsAreNeitherReadNorCountedWhileTheStoresTtlHasNotDeletedThem() {
    Optional<AnalyticsStore> withTtl = newStore(Optional.of(new Retention(2)), ScanLimit.DEFAULT);
    Assumptions.assumeTrue(withTtl.isPresent(), "this backend has no ttl_days");
    AnalyticsStore ttl = withTtl.get();
    ttl.ingest(anEvent().forTenant(tenant()).withId("old").at(T0.minus(Duration.ofDays(3))).byUser("u1").build());
    ttl.ingest(anEvent().forTenant(tenant()).withId("new").at(T0).byUser("u1").build());
    AnalyticsPage page = ttl.query(AnalyticsQuery.firstPage(EventFilter.allOf(tenant()), 10));
    assertThat(page.records()).extracting(AnalyticsEvent::eventId).containsExactly("new");
    assertThat(page.total()).isEqualTo(1);
    assertThat(ttl.aggregate(AggregationSpec.parse("events", List.of(), Optional.empty()),
        EventFilter.allOf(tenant())).total()).isEqualTo(1);
    now = NOW.plus(Duration.ofDays(2));
    assertThat(ttl.query(AnalyticsQuery.firstPage(EventFilter.allOf(tenant()), 10)).total()).isZero();
    // Erasure still reaches events the TTL has not swept yet.
    assertThat(ttl.deleteByUser(tenant(), "u1")).isEqualTo(2);
  }

  @Test
  void anAggregationReadingMoreThanTheScanLimitIsTooBroad() {
    Optional<AnalyticsStore> limited = newStore(Optional.empty(), new ScanLimit(5));
    Assumptions.assumeTrue(limited.isPresent(), "this backend aggregates natively, without a scan limit");
    AnalyticsStore small = limited.get();
    for (int i = 0; i < 6; i++) {
      small.ingest(event("s" + i, i));
    }
    AggregationSpec spec = AggregationSpec.parse("events", List.of("surface"), Optional.empty());
    assertThatThrownBy(() -> small.aggregate(spec, EventFilter.allOf(tenant())))
        .isInstanceOf(TallyException.class).extracting(e -> ((TallyException) e).errorCode())
        .isEqualTo(ScanLimit.TOO_BROAD);
    // A narrower range reads fewer events and is answered.
    assertThat(small.aggregate(spec, EventFilter.allOf(tenant()).between(T0, T0.plusSeconds(180))).total())
        .isEqualTo(3);
  }

  private List<String> ids(EventFilter filter) {
    return all(filter).records().stream().map(AnalyticsEvent::eventId).toList();
  }
}
