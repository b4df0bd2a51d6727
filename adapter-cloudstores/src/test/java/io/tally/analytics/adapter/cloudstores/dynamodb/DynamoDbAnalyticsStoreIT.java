package io.tally.analytics.adapter.cloudstores.dynamodb;

import io.tally.analytics.adapter.cloudstores.Emulators;
import io.tally.analytics.adapter.cloudstores.StoreSettings;
import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.ports.contract.AnalyticsStoreContract;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.util.Optional;

class DynamoDbAnalyticsStoreIT extends AnalyticsStoreContract {
  @Override
  protected AnalyticsStore newStore() {
    return newStore(Optional.empty(), ScanLimit.DEFAULT).orElseThrow();
  }

  @Override
  protected Optional<AnalyticsStore> newStore(Optional<Retention> retention, ScanLimit limit) {
    return Optional.of(DynamoDbStores.open(Emulators.dynamodb(), new StoreSettings(retention, limit, clock())));
  }
}
