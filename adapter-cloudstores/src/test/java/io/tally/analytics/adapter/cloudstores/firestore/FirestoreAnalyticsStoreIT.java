package io.tally.analytics.adapter.cloudstores.firestore;

import io.tally.analytics.adapter.cloudstores.Emulators;
import io.tally.analytics.adapter.cloudstores.StoreSettings;
import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.ports.contract.AnalyticsStoreContract;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

class FirestoreAnalyticsStoreIT extends AnalyticsStoreContract {
  private static final String PROJECT = "tally-" + Emulators.unique();

  @AfterAll
  static void resetTheEmulatorProject() {
    Emulators.resetFirestore(PROJECT);
  }

  @Override
  protected AnalyticsStore newStore() {
    return newStore(Optional.empty(), ScanLimit.DEFAULT).orElseThrow();
  }

  @Override
  protected Optional<AnalyticsStore> newStore(Optional<Retention> retention, ScanLimit limit) {
    return Optional.of(FirestoreStores.open(Emulators.firestore(PROJECT), new StoreSettings(retention, limit, clock())));
  }
}
