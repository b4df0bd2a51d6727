package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import io.tally.analytics.core.analyticsevent.EventField;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An event as flat text attributes, the one document layout the three stores share. Attribute names are the
 * {@link EventField} wire names, so a filter on a field is a condition on the attribute of the same name. Absent
 * optional values are absent attributes (an equality filter then never matches, as the port requires).
 */
public final class EventAttributes {
  /** Exact occurrence time (ISO-8601). */
  public static final String OCCURRED_AT = "occurred_at";
  /** {@link OccurredKey}: what stores order by. */
  public static final String OCCURRED_KEY = "occurred_key";
  /** The payload as JSON text. */
  public static final String PAYLOAD = "payload";
  /** Event id. */
  public static final String EVENT_ID = "event_id";
  /** Tenant id. */
  public static final String TENANT_ID = "tenant_id";

  private EventAttributes() {}

  /** @return every attribute of {@code e} as text */
  public static Map<String, String> of(AnalyticsEvent e) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(EVENT_ID, e.eventId());
    a.put(TENANT_ID, e.tenantId());
    a.put(OCCURRED_AT, e.occurredAt().toString());
    a.put(OCCURRED_KEY, OccurredKey.of(e.occurredAt()));
    for (EventField f : EventField.values()) {
      f.valueOf(e).ifPresent(v -> a.put(f.wireName(), v));
    }
    a.put(PAYLOAD, PayloadJson.write(e.payload()));
    return a;
  }

  /** @return the event the attributes of {@link #of} describe */
  public static AnalyticsEvent event(Map<String, String> a) {
    Attribution attribution = new Attribution(opt(a, EventField.UTM_SOURCE), opt(a, EventField.UTM_MEDIUM),
        opt(a, EventField.UTM_CAMPAIGN), opt(a, EventField.UTM_CONTENT), opt(a, EventField.UTM_TERM));
    Dimensions dimensions = new Dimensions(opt(a, EventField.APP), opt(a, EventField.SURFACE),
        opt(a, EventField.PLATFORM), opt(a, EventField.SESSION_ID));
    return new AnalyticsEvent(a.get(EVENT_ID), a.get(TENANT_ID), a.get(EventField.PROJECT_ID.wireName()),
        opt(a, EventField.USER_ID), opt(a, EventField.REQUEST_ID), opt(a, EventField.RUN_ID),
        opt(a, EventField.STEP_ID), a.get(EventField.EVENT_TYPE.wireName()),
        java.time.Instant.parse(a.get(OCCURRED_AT)), attribution, dimensions, PayloadJson.read(a.get(PAYLOAD)));
  }

  private static Optional<String> opt(Map<String, String> a, EventField f) {
    return Optional.ofNullable(a.get(f.wireName()));
  }
}
