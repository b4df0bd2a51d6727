package io.tally.analytics.app;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.Mode;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.RoutedResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AN-01 use cases, with every event that was accepted but not stored (lab mode without a route, or an optional
 * route whose backend failed) logged at WARN and counted in {@code analytics_lab_events_not_stored_total}.
 */
final class LabModeMetering implements AnalyticsEvents {
  private static final Logger LOG = LoggerFactory.getLogger(LabModeMetering.class);

  private final AnalyticsEvents events;
  private final AnalyticsStoreMetrics metrics;

  LabModeMetering(AnalyticsEvents events, AnalyticsStoreMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public RoutedResult<String> ingest(Actor actor, Mode mode, NewEvent event) {
    RoutedResult<String> result = events.ingest(actor, mode, event);
    result.labWarning().ifPresent(warning -> {
      metrics.labEventNotStored();
      LOG.atWarn().addKeyValue("tenant_id", event.tenantId()).addKeyValue("mode", mode.wireName())
          .addKeyValue("event_id", result.value()).log(warning);
    });
    return result;
  }

  @Override
  public RoutedResult<AnalyticsPage> query(Actor actor, Mode mode, AnalyticsQuery query) {
    return events.query(actor, mode, query);
  }

  @Override
  public RoutedResult<AggregationResult> aggregate(Actor actor, Mode mode, AggregationSpec spec, EventFilter filter) {
    return events.aggregate(actor, mode, spec, filter);
  }

  @Override
  public RoutedResult<Boolean> delete(Actor actor, Mode mode, String tenantId, String eventId) {
    return events.delete(actor, mode, tenantId, eventId);
  }

  @Override
  public RoutedResult<Long> deleteByUser(Actor actor, Mode mode, String tenantId, String userId) {
    return events.deleteByUser(actor, mode, tenantId, userId);
  }
}
