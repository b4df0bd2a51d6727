package io.tally.analytics.core.analyticsevent;

import static io.tally.analytics.core.analyticsevent.AnalyticsEvents.aPageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyticsQueryTest {
  private final AnalyticsEvent e = aPageview().build();

  @Test
  void limitMustBeBetweenOneAndAThousand() {
    EventFilter f = EventFilter.allOf("t1");
    assertThat(AnalyticsQuery.firstPage(f, 1000).limit()).isEqualTo(1000);
    assertThatThrownBy(() -> AnalyticsQuery.firstPage(f, 0)).extracting("errorCode")
        .isEqualTo("analytics_query.invalid_limit");
    assertThatThrownBy(() -> AnalyticsQuery.firstPage(f, 1001)).extracting("errorCode")
        .isEqualTo("analytics_query.invalid_limit");
    assertThatThrownBy(() -> AnalyticsQuery.firstPage(f, 10).after(" ")).extracting("errorCode")
        .isEqualTo("analytics_query.invalid_cursor");
  }

  @Test
  void timeRangeIsStartInclusiveEndExclusive() {
    Instant at = e.occurredAt();
    assertThat(EventFilter.allOf("t1").between(at, at.plusSeconds(1)).matches(e)).isTrue();
    assertThat(EventFilter.allOf("t1").between(at.minusSeconds(1), at).matches(e)).isFalse();
    assertThatThrownBy(() -> EventFilter.allOf("t1").between(at, at)).extracting("errorCode")
        .isEqualTo("analytics_query.invalid_time_range");
  }

  @Test
  void fieldFiltersMatchExactlyAndMissingValuesDoNotMatch() {
    assertThat(EventFilter.allOf("t1").with(EventField.UTM_SOURCE, "google").matches(e)).isTrue();
    assertThat(EventFilter.allOf("t1").with(EventField.UTM_SOURCE, "bing").matches(e)).isFalse();
    assertThat(EventFilter.allOf("t1").with(EventField.UTM_MEDIUM, "cpc").matches(e)).isFalse();
    assertThat(EventFilter.allOf("t2").matches(e)).isFalse();
  }

  @Test
  void cursorRoundTripsAndRejectsGarbage() {
    EventCursor c = EventCursor.after(e);
    assertThat(EventCursor.decode(c.encode())).isEqualTo(c);
    assertThat(c.isBefore(aPageview().eventId("e2").build())).isTrue();
    assertThat(c.isBefore(e)).isFalse();
    assertThatThrownBy(() -> EventCursor.decode("!!")).extracting("errorCode")
        .isEqualTo("analytics_query.invalid_cursor");
  }

  @Test
  void metricsParse() {
    assertThat(AggregationMetric.parse("pageviews").eventType()).contains("pageview");
    assertThat(AggregationMetric.parse("events").eventType()).isEmpty();
    assertThat(AggregationMetric.parse("count:sign_up").eventType()).contains("sign_up");
    assertThatThrownBy(() -> AggregationMetric.parse("revenue")).extracting("errorCode")
        .isEqualTo("analytics_aggregate.invalid_metric");
    assertThatThrownBy(() -> AggregationMetric.parse("s")).extracting("errorCode")
        .isEqualTo("analytics_aggregate.invalid_metric");
  }

  @Test
  void groupByIsLimitedToKnownDistinctGroupableFields() {
    AggregationSpec spec = AggregationSpec.parse("pageviews", List.of("utm_source", "surface"), Optional.of("day"));
    assertThat(spec.groupBy()).containsExactly(EventField.UTM_SOURCE, EventField.SURFACE);
    assertThat(spec.bucket()).contains(TimeBucket.DAY);
    assertThatThrownBy(() -> AggregationSpec.parse("events", List.of("country"), Optional.empty()))
        .extracting("errorCode").isEqualTo("analytics_aggregate.invalid_group_by");
    assertThatThrownBy(() -> AggregationSpec.parse("events", List.of("user_id"), Optional.empty()))
        .extracting("errorCode").isEqualTo("analytics_aggregate.invalid_group_by");
    assertThatThrownBy(() -> AggregationSpec.parse("events", List.of("app", "app"), Optional.empty()))
        .extracting("errorCode").isEqualTo("analytics_aggregate.invalid_group_by");
    assertThatThrownBy(() -> AggregationSpec.parse("events", List.of(), Optional.of("week")))
        .extracting("errorCode").isEqualTo("analytics_aggregate.invalid_bucket");
  }

  @Test
  void aggregatorCountsPerGroupAndBucketInOrder() {
    AnalyticsEvent bing = aPageview().eventId("e2").attribution(new Attribution(Optional.of("bing"),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())).build();
    AnalyticsEvent nextDay = aPageview().eventId("e3").occurredAt(e.occurredAt().plusSeconds(86_400)).build();
    AnalyticsEvent click = aPageview().eventId("e4").eventType("click").build();
    AnalyticsEvent direct = aPageview().eventId("e5").attribution(Attribution.none()).build();
    AggregationSpec spec = AggregationSpec.parse("pageviews", List.of("utm_source"), Optional.of("day"));

    AggregationResult r = EventAggregator.aggregate(spec, EventFilter.allOf("t1"),
        List.of(nextDay, e, bing, click, direct));

    assertThat(r.metric()).isEqualTo("pageviews");
    assertThat(r.total()).isEqualTo(4);
    Instant day1 = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(r.groups()).extracting(g -> g.bucketStart().orElseThrow() + "|" + g.key().get("utm_source") + "|"
        + g.count()).containsExactly(day1 + "|(none)|1", day1 + "|bing|1", day1 + "|google|1",
            day1.plusSeconds(86_400) + "|google|1");
  }
}
