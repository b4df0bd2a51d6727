package io.tally.analytics.ports.out;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventFilter;

/**
 * One analytics-store backend (postgres, firestore, dynamodb or cosmos) holding AN-01 events. Every operation is
 * scoped to one tenant; an implementation must never return or delete another tenant's events.
 *
 * <p>Query semantics the contract suite checks: the filter's time range is start-inclusive, end-exclusive;
 * results come in {@link AnalyticsEvent#STORE_ORDER}; following {@code nextCursor} visits every matching event
 * exactly once; {@code total} counts all matching events. Aggregations group and order like
 * {@link io.tally.analytics.core.analyticsevent.EventAggregator}.
 */
public interface AnalyticsStore {
  /**
   * @param event a validated event
   * @return true when stored; false when the tenant already has an event with this id (the first write wins)
   */
  boolean ingest(AnalyticsEvent event);

  /** @return one page of matching events */
  AnalyticsPage query(AnalyticsQuery query);

  /** @return counts of the spec's metric over the events matching {@code filter} */
  AggregationResult aggregate(AggregationSpec spec, EventFilter filter);

  /** @return true when the tenant's event existed and was deleted (GDPR) */
  boolean delete(String tenantId, String eventId);

  /** @return how many of the tenant's events of this user were deleted (GDPR) */
  long deleteByUser(String tenantId, String userId);
}
