package io.tally.analytics.adapter.cloudstores;

import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.anEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.AnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudStoreProviderIT {
  private final CloudStoreProvider provider = new CloudStoreProvider(ScanLimit.DEFAULT, Instant::now);

  private static Route route(String id, Map<String, String> config) {
    return new Route(id, Route.ANALYTICS_STORE, "t1", "test", BackendType.DYNAMODB, config, true, Instant.EPOCH);
  }

  @Test
  void aRouteKeepsItsClientUntilItIsReplacedOrReleased() {
    Map<String, String> config = Emulators.dynamodb();
    AnalyticsStore first = provider.storeFor(route("r1", config));
    assertThat(provider.storeFor(route("r1", config))).isSameAs(first);
    assertThat(provider.openClients()).isEqualTo(1);

    Map<String, String> moved = new HashMap<>(config);
    moved.put("table_name", "events-" + Emulators.unique());
    AnalyticsStore second = provider.storeFor(route("r1", moved));
    assertThat(second).isNotSameAs(first);
    assertThat(provider.openClients()).isEqualTo(1);
    // The replaced store's client is closed: using it fails instead of quietly writing to the old table.
    assertThatThrownBy(() -> first.ingest(anEvent().build())).isInstanceOf(RuntimeException.class);

    second.ingest(anEvent().build());
    assertThat(second.query(AnalyticsQuery.firstPage(EventFilter.allOf("t1"), 10)).total()).isEqualTo(1);
    provider.release("r1");
    assertThat(provider.openClients()).isZero();
    assertThatThrownBy(() -> second.ingest(anEvent().withId("e-2").build())).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aBackendThatCannotBeOpenedIsABackendErrorNamingNoConfigValue() {
    Map<String, String> dead = new HashMap<>(Emulators.dynamodb());
    dead.put("endpoint_override", "http://127.0.0.1:9");
    dead.put("access_key_id", "AKIAEXAMPLE");
    dead.put("secret_access_key", "do-not-print-me");
    assertThatThrownBy(() -> provider.storeFor(route("r-dead", dead))).isInstanceOf(TallyException.class)
        .hasMessageNotContaining("do-not-print-me").hasMessageNotContaining("127.0.0.1:9")
        .extracting(e -> ((TallyException) e).errorCode()).isEqualTo(AnalyticsStoreProvider.BACKEND_ERROR);
    assertThat(provider.openClients()).isZero();
  }
}
