package io.tally.analytics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The AN-01 store meters of the original service, per backend: {@code analytics_backend_errors_total},
 * {@code analytics_ingest_duration_seconds}, {@code analytics_query_requests_total},
 * {@code analytics_query_duration_seconds} (query and aggregate), and {@code analytics_lab_events_not_stored_total}.
 * Every series exists from start at zero, so an alert on it is never silent for want of a series.
 */
final class AnalyticsStoreMetrics {
  private final Map<BackendType, Counter> errors = new EnumMap<>(BackendType.class);
  private final Map<BackendType, Timer> ingest = new EnumMap<>(BackendType.class);
  private final Map<BackendType, Counter> queries = new EnumMap<>(BackendType.class);
  private final Map<BackendType, Timer> queryTime = new EnumMap<>(BackendType.class);
  private final Counter labNotStored;

  AnalyticsStoreMetrics(MeterRegistry registry) {
    for (BackendType b : BackendType.values()) {
      String backend = b.wireName();
      errors.put(b, Counter.builder("analytics.backend.errors").tag("backend", backend)
          .description("AN-01 store calls that failed in the backend").register(registry));
      ingest.put(b, Timer.builder("analytics.ingest.duration").tag("backend", backend)
          .description("AN-01 ingest time in the backend").register(registry));
      queries.put(b, Counter.builder("analytics.query.requests").tag("backend", backend)
          .description("AN-01 queries and aggregations sent to the backend").register(registry));
      queryTime.put(b, Timer.builder("analytics.query.duration").tag("backend", backend)
          .description("AN-01 query and aggregation time in the backend").register(registry));
    }
    labNotStored = Counter.builder("analytics.lab.events.not.stored")
        .description("AN-01 events lab mode accepted without a route and did not store").register(registry);
  }

  <T> T ingest(BackendType backend, Supplier<T> call) {
    return timed(backend, ingest.get(backend), call);
  }

  <T> T query(BackendType backend, Supplier<T> call) {
    queries.get(backend).increment();
    return timed(backend, queryTime.get(backend), call);
  }

  <T> T other(BackendType backend, Supplier<T> call) {
    return timed(backend, null, call);
  }

  void labEventNotStored() {
    labNotStored.increment();
  }

  private <T> T timed(BackendType backend, Timer timer, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } catch (TallyException e) {
      if (AnalyticsStoreProvider.BACKEND_ERROR.equals(e.errorCode())
          || AnalyticsStoreProvider.BACKEND_UNAVAILABLE.equals(e.errorCode())) {
        errors.get(backend).increment();
      }
      throw e;
    } catch (RuntimeException e) {
      errors.get(backend).increment();
      throw e;
    } finally {
      if (timer != null) {
        timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }
  }
}
