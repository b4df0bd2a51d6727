package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.time.InstantBounds;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which events of one tenant a query or aggregation covers: a time range ({@code start} inclusive, {@code end}
 * exclusive, either open) and exact-match filters on {@link EventField}s (all must match; an event without the
 * field does not match).
 *
 * @param tenantId the tenant whose store is read
 * @param start inclusive lower bound on occurredAt
 * @param end exclusive upper bound on occurredAt
 * @param fields exact-match filters
 */
public record EventFilter(String tenantId, Optional<Instant> start, Optional<Instant> end,
    Map<EventField, String> fields) {

  /** Error code for a range whose end is not after its start. */
  public static final String INVALID_TIME_RANGE = "analytics_query.invalid_time_range";
  /** Error code for a bad filter value. */
  public static final String INVALID_FILTER = "analytics_query.invalid_filter";

  /** Validates and copies. */
  public EventFilter {
    EventText.required(tenantId, "tenant_id", EventText.MAX_ID_LENGTH, INVALID_FILTER);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    start.ifPresent(t -> InstantBounds.require(t, "start_time", TallyException.Kind.INVALID, INVALID_TIME_RANGE));
    end.ifPresent(t -> InstantBounds.require(t, "end_time", TallyException.Kind.INVALID, INVALID_TIME_RANGE));
    if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_TIME_RANGE, "start_time must be before end_time.");
    }
    EnumMap<EventField, String> copy = new EnumMap<>(EventField.class);
    Objects.requireNonNull(fields, "fields").forEach((f, v) ->
        copy.put(Objects.requireNonNull(f), EventText.required(v, f.wireName(), EventText.MAX_LABEL_LENGTH,
            INVALID_FILTER)));
    fields = java.util.Collections.unmodifiableMap(copy);
  }

  /** @return every event of the tenant */
  public static EventFilter allOf(String tenantId) {
    return new EventFilter(tenantId, Optional.empty(), Optional.empty(), Map.of());
  }

  /** @return a copy with one more exact-match filter */
  public EventFilter with(EventField field, String value) {
    EnumMap<EventField, String> more = new EnumMap<>(EventField.class);
    more.putAll(fields);
    more.put(field, value);
    return new EventFilter(tenantId, start, end, more);
  }

  /** @return a copy restricted to [start, end) */
  public EventFilter between(Instant from, Instant until) {
    return new EventFilter(tenantId, Optional.of(from), Optional.of(until), fields);
  }

  /** @return true when the event belongs to the tenant, falls in the range and matches every filter */
  public boolean matches(AnalyticsEvent e) {
    return e.tenantId().equals(tenantId)
        && start.map(s -> !e.occurredAt().isBefore(s)).orElse(true)
        && end.map(x -> e.occurredAt().isBefore(x)).orElse(true)
        && fields.entrySet().stream().allMatch(f -> f.getKey().valueOf(e).map(f.getValue()::equals).orElse(false));
  }
}
