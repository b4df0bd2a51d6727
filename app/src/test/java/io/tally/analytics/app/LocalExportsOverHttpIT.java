package io.tally.analytics.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Exports with the embedded default: files under {@code DATA_DIR/exports}, links served by Tally itself. */
class LocalExportsOverHttpIT extends ExportsOverHttpIT {
  @Override
  Map<String, String> storeEnv() {
    return Map.of();
  }

  @Override
  byte[] stored(String key) throws Exception {
    return Files.readAllBytes(dataDir.resolve("exports").resolve(key));
  }

  @Override
  List<String> storedKeys(String prefix) throws Exception {
    Path root = dataDir.resolve("exports");
    Path dir = root.resolve(prefix);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Override
  int expiredStatus() {
    return 410;
  }
}
