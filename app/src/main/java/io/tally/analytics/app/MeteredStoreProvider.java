package io.tally.analytics.app;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;

/** Wraps every routed store so its calls are timed and its failures counted per backend. */
final class MeteredStoreProvider implements AnalyticsStoreProvider {
  private final AnalyticsStoreProvider stores;
  private final AnalyticsStoreMetrics metrics;

  MeteredStoreProvider(AnalyticsStoreProvider stores, AnalyticsStoreMetrics metrics) {
    this.stores = stores;
    this.metrics = metrics;
  }

  @Override
  public AnalyticsStore storeFor(Route route) {
    BackendType b = route.backendType();
    AnalyticsStore store = metrics.other(b, () -> stores.storeFor(route));
    return new AnalyticsStore() {
      @Override
      public boolean ingest(AnalyticsEvent event) {
        return metrics.ingest(b, () -> store.ingest(event));
      }

      @Override
      public AnalyticsPage query(AnalyticsQuery query) {
        return metrics.query(b, () -> store.query(query));
      }

      @Override
      public AggregationResult aggregate(AggregationSpec spec, EventFilter filter) {
        return metrics.query(b, () -> store.aggregate(spec, filter));
      }

      @Override
      public boolean delete(String tenantId, String eventId) {
        return metrics.other(b, () -> store.delete(tenantId, eventId));
      }

      @Override
      public long deleteByUser(String tenantId, String userId) {
        return metrics.other(b, () -> store.deleteByUser(tenantId, userId));
      }
    };
  }
}
