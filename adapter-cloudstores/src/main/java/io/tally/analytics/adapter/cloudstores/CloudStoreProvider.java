package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.adapter.cloudstores.cosmos.CosmosStores;
import io.tally.analytics.adapter.cloudstores.dynamodb.DynamoDbStores;
import io.tally.analytics.adapter.cloudstores.firestore.FirestoreStores;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the firestore, dynamodb and cosmos stores routes point at, one client per route, built from the route's
 * (decrypted) config and cached by route id. A route saved again with another config gets a new client and the
 * old one is closed; {@link #release} closes the client of a deleted or replaced route. A failure to open is
 * {@value AnalyticsStoreProvider#BACKEND_ERROR}, logged with the route id and backend, never the config values.
 */
public final class CloudStoreProvider implements AnalyticsStoreProvider, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CloudStoreProvider.class);

  private record Opened(Route route, PartitionedAnalyticsStore store) {}

  private final ScanLimit scanLimit;
  private final TimeSource clock;
  private final Map<String, Opened> open = new ConcurrentHashMap<>();

  /**
   * @param scanLimit most events one aggregation may read
   * @param clock "now" for expiry
   */
  public CloudStoreProvider(ScanLimit scanLimit, TimeSource clock) {
    this.scanLimit = Objects.requireNonNull(scanLimit, "scanLimit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** @return true for the backends this provider opens */
  public static boolean serves(BackendType type) {
    return type == BackendType.FIRESTORE || type == BackendType.DYNAMODB || type == BackendType.COSMOS;
  }

  @Override
  public AnalyticsStore storeFor(Route route) {
    if (!serves(route.backendType())) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, BACKEND_UNAVAILABLE,
          "backend " + route.backendType().wireName()
          + " is not a cloud store");
    }
    Opened current = open.get(route.routeId());
    if (current != null && current.route().equals(route)) {
      return current.store();
    }
    synchronized (this) {
      current = open.get(route.routeId());
      if (current != null && current.route().equals(route)) {
        return current.store();
      }
      Opened fresh = new Opened(route, openStore(route));
      Opened replaced = open.put(route.routeId(), fresh);
      if (replaced != null) {
        closeQuietly(replaced);
      }
      return fresh.store();
    }
  }

  /** Closes the client of this route, if one is open (the route was deleted or replaced). */
  public void release(String routeId) {
    Opened gone = open.remove(routeId);
    if (gone != null) {
      closeQuietly(gone);
    }
  }

  /** @return how many route clients are open (for tests and readiness) */
  public int openClients() {
    return open.size();
  }

  @Override
  public void close() {
    open.keySet().forEach(this::release);
  }

  private PartitionedAnalyticsStore openStore(Route route) {
    StoreSettings settings = new StoreSettings(Retention.fromConfig(route.config()), scanLimit, clock);
    try {
      return switch (route.backendType()) {
        case DYNAMODB -> DynamoDbStores.open(route.config(), settings);
        case FIRESTORE -> FirestoreStores.open(route.config(), settings);
        case COSMOS -> CosmosStores.open(route.config(), settings);
        case POSTGRES -> throw new IllegalStateException("not a cloud store");
      };
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("route_id", route.routeId()).addKeyValue("backend", route.backendType().wireName())
          .addKeyValue("tenant_id", route.tenantId()).addKeyValue("reason", e.getClass().getSimpleName())
          .log("adapter initialization failed");
      if (e instanceof TallyException t) {
        throw t;
      }
      throw BackendFailures.failure(route.backendType().wireName(), "adapter initialization", e);
    }
  }

  private static void closeQuietly(Opened opened) {
    try {
      opened.store().close();
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("route_id", opened.route().routeId()).addKeyValue("reason",
          e.getClass().getSimpleName()).log("closing a route's store client failed");
    }
  }
}
