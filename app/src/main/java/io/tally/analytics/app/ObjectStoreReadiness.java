package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code object_store} component of readyz. Besides up/down it shows the store's own reason ("bucket … does
 * not exist", "credentials rejected …", "unreachable: …"): the adapters write those for operators and never put a
 * credential in them, unlike arbitrary exception messages, which readyz leaves out.
 */
final class ObjectStoreReadiness {
  private final ObjectStore store;
  private final AtomicReference<String> lastReason = new AtomicReference<>("");

  ObjectStoreReadiness(ObjectStore store) {
    this.store = store;
  }

  ReadinessCheck check() {
    return new ReadinessCheck("object_store", this::probe,
        () -> lastReason.get().isEmpty() ? Map.of() : Map.of("reason", lastReason.get()));
  }

  private void probe() {
    try {
      store.checkReady();
      lastReason.set("");
    } catch (TallyException e) {
      lastReason.set(e.getMessage());
      throw e;
    }
  }
}
