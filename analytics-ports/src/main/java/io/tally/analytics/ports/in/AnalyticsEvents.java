package io.tally.analytics.ports.in;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.Mode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The AN-01 event store API ({@code /analytics/ingest|query|aggregate|event}). Each call is authorized on the
 * tenant scope ({@code analytics:store:write|read|delete}), then routed by route-or-reject for the deployment's
 * env: without a route, saas/enterprise/system throw {@link io.tally.analytics.core.routing.MissingRouteException}
 * (503 {@code analytics_store.missing_route}); lab returns an empty answer carrying a warning.
 */
public interface AnalyticsEvents {
  /**
   * An event to ingest, before it has an id (unless the client supplies one for idempotent retries) and, when
   * the client gives no time, before it is stamped with the server's clock.
   *
   * @param eventId client-supplied id, if any
   * @param tenantId tenant ({@code X-Tenant-ID})
   * @param projectId project ({@code X-Project-ID})
   * @param userId user_id
   * @param requestId request_id
   * @param runId run_id
   * @param stepId step_id
   * @param eventType event_type
   * @param occurredAt when it happened; the server's time when absent
   * @param attribution utm values
   * @param dimensions app, surface, platform, session
   * @param payload JSON-like payload
   */
  record NewEvent(Optional<String> eventId, String tenantId, String projectId, Optional<String> userId,
      Optional<String> requestId, Optional<String> runId, Optional<String> stepId, String eventType,
      Optional<Instant> occurredAt, Attribution attribution, Dimensions dimensions, Map<String, ?> payload) {
    /** Rejects null containers (field rules are checked when the event is built). */
    public NewEvent {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(tenantId, "tenantId");
    }

    /** @return the validated event with this id and default time */
    public AnalyticsEvent toEvent(String id, Instant now) {
      return new AnalyticsEvent(id, tenantId, projectId, userId, requestId, runId, stepId, eventType,
          occurredAt.orElse(now), attribution, dimensions, castPayload());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> castPayload() {
      return (Map<String, Object>) payload;
    }
  }

  /** @return the event id (assigned even in lab mode, where nothing is stored) */
  RoutedResult<String> ingest(Actor actor, Mode mode, NewEvent event);

  /** @return one page of the tenant's events ({@code query.filter().tenantId()}) */
  RoutedResult<AnalyticsPage> query(Actor actor, Mode mode, AnalyticsQuery query);

  /** @return the aggregation over the tenant's events matching {@code filter} */
  RoutedResult<AggregationResult> aggregate(Actor actor, Mode mode, AggregationSpec spec, EventFilter filter);

  /** @return true when the event existed and was deleted */
  RoutedResult<Boolean> delete(Actor actor, Mode mode, String tenantId, String eventId);

  /** @return how many of the user's events were deleted */
  RoutedResult<Long> deleteByUser(Actor actor, Mode mode, String tenantId, String userId);
}
