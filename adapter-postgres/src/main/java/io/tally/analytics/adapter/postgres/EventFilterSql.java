package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.analyticsevent.EventField;
import io.tally.analytics.core.analyticsevent.EventFilter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The WHERE clause of an {@link EventFilter} over {@code analytics.analytics_events}. Which conditions appear
 * depends on the filter, so the clause is assembled, but only from the fixed fragments below: column names come
 * from {@link #column}, every value is a bind parameter.
 *
 * @param sql conditions joined by AND, starting with the tenant
 * @param binds parameter values by name
 */
record EventFilterSql(String sql, Map<String, Object> binds) {

  static EventFilterSql of(EventFilter filter) {
    StringBuilder sql = new StringBuilder("tenant_id = :tenantId");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("tenantId", filter.tenantId());
    filter.start().ifPresent(s -> {
      sql.append(" AND occurred_at >= :start");
      binds.put("start", UtcTimestamps.bindable(s));
    });
    filter.end().ifPresent(e -> {
      sql.append(" AND occurred_at < :end");
      binds.put("end", UtcTimestamps.bindable(e));
    });
    filter.fields().forEach((field, value) -> {
      String column = column(field);
      sql.append(" AND ").append(column).append(" = :f_").append(column);
      binds.put("f_" + column, value);
    });
    return new EventFilterSql(sql.toString(), binds);
  }

  /** @return this filter narrowed to events strictly after the keyset position */
  EventFilterSql after(Instant occurredAt, String eventId) {
    Map<String, Object> more = new LinkedHashMap<>(binds);
    more.put("afterOccurredAt", UtcTimestamps.bindable(occurredAt));
    more.put("afterEventId", eventId);
    return new EventFilterSql(sql + " AND (occurred_at, event_id) > (:afterOccurredAt, :afterEventId)", more);
  }

  /** @return this filter narrowed to one event type */
  EventFilterSql ofType(String eventType) {
    Map<String, Object> more = new LinkedHashMap<>(binds);
    more.put("metricType", eventType);
    return new EventFilterSql(sql + " AND event_type = :metricType", more);
  }

  // Exhaustive: a new EventField does not compile until it has a column here and in V4.
  static String column(EventField field) {
    return switch (field) {
      case UTM_SOURCE -> "utm_source";
      case UTM_MEDIUM -> "utm_medium";
      case UTM_CAMPAIGN -> "utm_campaign";
      case UTM_CONTENT -> "utm_content";
      case UTM_TERM -> "utm_term";
      case APP -> "app";
      case SURFACE -> "surface";
      case PLATFORM -> "platform";
      case SESSION_ID -> "session_id";
      case EVENT_TYPE -> "event_type";
      case USER_ID -> "user_id";
      case PROJECT_ID -> "project_id";
      case REQUEST_ID -> "request_id";
      case RUN_ID -> "run_id";
      case STEP_ID -> "step_id";
    };
  }
}
