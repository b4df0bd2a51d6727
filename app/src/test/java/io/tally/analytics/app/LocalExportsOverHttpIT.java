package io.tally.analytics.app;

import java.util.Map;

/** Exports with the embedded default: files under {@code DATA_DIR/exports}, links served by Tally itself. */
class LocalExportsOverHttpIT extends ExportsOverHttpIT {
  @Override
  Map<String, String> storeEnv() {
    return Map.of();
  }

  @Override
  StoredExports stored() {
    return StoredExports.directory(dataDir.resolve("exports"));
  }

  @Override
  int expiredStatus() {
    return 410;
  }
}
