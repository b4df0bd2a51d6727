package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.ports.memory.InMemoryAnalyticsStore;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import io.tally.analytics.ports.testdata.RouteTestData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendStoreProviderTest {
  @Test
  void aRouteGetsItsBackendsStoreAndAnUnavailableBackendIsAFaultNotAFallback() {
    InMemoryAnalyticsStore postgres = new InMemoryAnalyticsStore();
    BackendStoreProvider provider = new BackendStoreProvider(Map.of(BackendType.POSTGRES, postgres));
    assertThat(provider.storeFor(RouteTestData.aPostgresRoute("r-1", "t1", "development"))).isSameAs(postgres);
    assertThatThrownBy(() -> provider.storeFor(RouteTestData.aCosmosRoute("r-2", "t1", "development"))).isInstanceOf(TallyException.class)
        .extracting(e -> ((TallyException) e).errorCode()).isEqualTo(AnalyticsStoreProvider.BACKEND_UNAVAILABLE);
  }
}
