package io.tally.analytics.core.analyticsevent;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Test data: a valid pageview that tests tweak. */
final class AnalyticsEvents {
  private AnalyticsEvents() {}

  static AnalyticsEvent.Builder aPageview() {
    return AnalyticsEvent.builder().eventId("e1").tenantId("t1").projectId("p1").eventType("pageview")
        .occurredAt(Instant.parse("2025-01-01T10:15:00Z"))
        .attribution(new Attribution(Optional.of("google"), Optional.empty(), Optional.of("summer_2025"),
            Optional.empty(), Optional.empty()))
        .dimensions(new Dimensions(Optional.of("northstar_ui"), Optional.of("homepage"), Optional.of("web"),
            Optional.empty()))
        .payload(Map.of("url", "https://example.com"));
  }
}
