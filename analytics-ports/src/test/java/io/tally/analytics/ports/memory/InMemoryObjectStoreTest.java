package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.contract.ObjectStoreContract;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.service.DownloadExportFileService;
import java.time.Instant;

class InMemoryObjectStoreTest extends ObjectStoreContract {
  private InMemoryObjectStore store;

  @Override
  protected ObjectStore newStore() {
    store = new InMemoryObjectStore(Instant::now);
    return store;
  }

  @Override
  protected Fetched fetch(String url) {
    return Fetched.through(new DownloadExportFileService(store.signer(), store, Instant::now), url);
  }
}
