package io.tally.analytics.adapter.s3;

import io.tally.analytics.ports.contract.ObjectStoreContract;
import io.tally.analytics.ports.out.ObjectStore;
import org.junit.jupiter.api.AfterEach;

/** The contract against S3Proxy, which checks SigV4: tampered and expired presigned URLs are really refused. */
class S3ObjectStoreIT extends ObjectStoreContract {
  private S3ObjectStore store;

  @Override
  protected ObjectStore newStore() {
    store = new S3ObjectStore(LocalS3Proxy.newBucket());
    return store;
  }

  @AfterEach
  void close() {
    store.close();
  }
}
