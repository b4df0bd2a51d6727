package io.tally.analytics.core.analyticsevent;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Event fields queries filter on and aggregations group by, with their snake_case wire names
 * ({@code utm_source}, …, {@code event_type}, {@code user_id}, {@code project_id}, {@code request_id}, {@code run_id},
 * {@code step_id}). {@code session_id}, {@code user_id} and the request/run/step ids filter but do not group:
 * grouping by them would return one group per visitor or request.
 */
public enum EventField {
  UTM_SOURCE(e -> e.attribution().utmSource(), true),
  UTM_MEDIUM(e -> e.attribution().utmMedium(), true),
  UTM_CAMPAIGN(e -> e.attribution().utmCampaign(), true),
  UTM_CONTENT(e -> e.attribution().utmContent(), true),
  UTM_TERM(e -> e.attribution().utmTerm(), true),
  APP(e -> e.dimensions().app(), true),
  SURFACE(e -> e.dimensions().surface(), true),
  PLATFORM(e -> e.dimensions().platform(), true),
  SESSION_ID(e -> e.dimensions().sessionId(), false),
  EVENT_TYPE(e -> Optional.of(e.eventType()), true),
  USER_ID(AnalyticsEvent::userId, false),
  PROJECT_ID(e -> Optional.of(e.projectId()), true),
  REQUEST_ID(AnalyticsEvent::requestId, false),
  RUN_ID(AnalyticsEvent::runId, false),
  STEP_ID(AnalyticsEvent::stepId, false);

  private final Function<AnalyticsEvent, Optional<String>> accessor;
  private final boolean groupable;

  EventField(Function<AnalyticsEvent, Optional<String>> accessor, boolean groupable) {
    this.accessor = accessor;
    this.groupable = groupable;
  }

  /** @return the snake_case query-parameter name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return true when aggregations may group by this field */
  public boolean groupable() {
    return groupable;
  }

  /** @return the event's value for this field, if any */
  public Optional<String> valueOf(AnalyticsEvent event) {
    return accessor.apply(event);
  }

  /** @return the field with this wire name, if any */
  public static Optional<EventField> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(f -> f.wireName().equals(wireName)).findFirst();
  }
}
