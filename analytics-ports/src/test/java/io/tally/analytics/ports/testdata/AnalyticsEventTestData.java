package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Builders for AN-01 events in tests: {@code anEvent().withUtmSource("bing").at(t).build()}. */
public final class AnalyticsEventTestData {
  /** Default instant of test events. */
  public static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  private AnalyticsEventTestData() {}

  /** @return a pageview from google on northstar_ui/homepage/web for tenant t1 */
  public static EventBuilder anEvent() {
    return new EventBuilder();
  }

  /** Fluent test builder over {@link AnalyticsEvent.Builder}. */
  public static final class EventBuilder {
    private String id = "e-1";
    private String tenant = "t1";
    private String type = "pageview";
    private Instant at = T0;
    private String user;
    private String project = "p1";
    private String request;
    private String run;
    private String step;
    private String utmSource = "google";
    private String utmMedium;
    private String surface = "homepage";
    private String platform = "web";
    private Map<String, ?> payload = Map.of("url", "https://example.com");

    /** @return this */
    public EventBuilder withId(String v) {
      id = v;
      return this;
    }

    /** @return this */
    public EventBuilder forTenant(String v) {
      tenant = v;
      return this;
    }

    /** @return this */
    public EventBuilder ofType(String v) {
      type = v;
      return this;
    }

    /** @return this */
    public EventBuilder at(Instant v) {
      at = v;
      return this;
    }

    /** @return this */
    public EventBuilder byUser(String v) {
      user = v;
      return this;
    }

    /** @return this */
    public EventBuilder inProject(String v) {
      project = v;
      return this;
    }

    /** @return this; sets request_id, run_id and step_id (null leaves one out) */
    public EventBuilder tracing(String requestId, String runId, String stepId) {
      request = requestId;
      run = runId;
      step = stepId;
      return this;
    }

    /** @return this; null removes utm_source */
    public EventBuilder withUtmSource(String v) {
      utmSource = v;
      return this;
    }

    /** @return this */
    public EventBuilder withUtmMedium(String v) {
      utmMedium = v;
      return this;
    }

    /** @return this */
    public EventBuilder onSurface(String v) {
      surface = v;
      return this;
    }

    /** @return this */
    public EventBuilder onPlatform(String v) {
      platform = v;
      return this;
    }

    /** @return this */
    public EventBuilder withPayload(Map<String, ?> v) {
      payload = v;
      return this;
    }

    /** @return the event */
    public AnalyticsEvent build() {
      return AnalyticsEvent.builder().eventId(id).tenantId(tenant).projectId(project).userId(user)
          .requestId(request).runId(run).stepId(step).eventType(type)
          .occurredAt(at)
          .attribution(new Attribution(Optional.ofNullable(utmSource), Optional.ofNullable(utmMedium),
              Optional.of("summer_2025"), Optional.empty(), Optional.empty()))
          .dimensions(new Dimensions(Optional.of("northstar_ui"), Optional.ofNullable(surface),
              Optional.ofNullable(platform), Optional.of("s-1")))
          .payload(payload).build();
    }
  }
}
