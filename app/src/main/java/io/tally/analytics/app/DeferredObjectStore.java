package io.tally.analytics.app;

import io.tally.analytics.ports.out.ObjectStore;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} opened on first use: {@code seed}, {@code verify} and {@code migrate} wire the export
 * use cases too but never store a file, and must not create {@code DATA_DIR/export-signing.key} as a side effect.
 */
final class DeferredObjectStore implements ObjectStore {
  private final Supplier<ObjectStore> store;

  /** @param store memoizing supplier of the real store */
  DeferredObjectStore(Supplier<ObjectStore> store) {
    this.store = store;
  }

  @Override
  public long put(String key, String contentType, Content content) {
    return store.get().put(key, contentType, content);
  }

  @Override
  public boolean exists(String key) {
    return store.get().exists(key);
  }

  @Override
  public InputStream open(String key) {
    return store.get().open(key);
  }

  @Override
  public List<String> list(String prefix) {
    return store.get().list(prefix);
  }

  @Override
  public void delete(String key) {
    store.get().delete(key);
  }

  @Override
  public int discardIncomplete(String prefix) {
    return store.get().discardIncomplete(prefix);
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    return store.get().signedUrl(key, ttl);
  }

  @Override
  public void checkReady() {
    store.get().checkReady();
  }
}
