package io.tally.analytics.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the route-secret keys come from: {@code ROUTE_SECRETS_KEY} (and {@code ROUTE_SECRETS_PREVIOUS_KEYS}); with
 * {@code ENVIRONMENT=development} and no key, a key generated once into {@code DATA_DIR/route-secrets.key}
 * (mode 0600) with a warning. Any other environment refuses to start without a key: a generated key would be lost
 * with the machine and take every route secret with it.
 */
final class RouteSecretKeys {
  private static final Logger LOG = LoggerFactory.getLogger(RouteSecretKeys.class);
  static final String DEV_KEY_FILE = "route-secrets.key";
  private static final int KEY_BYTES = 32;

  private RouteSecretKeys() {}

  /** @return the current key first, then the previous ones */
  static List<byte[]> resolve(TallyConfig config) {
    List<byte[]> keys = new ArrayList<>();
    TallyConfig.AnalyticsStores stores = config.analyticsStores();
    if (stores.routeSecretsKey().isPresent()) {
      keys.add(decode("ROUTE_SECRETS_KEY", stores.routeSecretsKey().get()));
    } else if ("development".equals(config.environment())) {
      keys.add(developmentKey(config.dataDir().resolve(DEV_KEY_FILE)));
    } else {
      throw new ConfigException("ROUTE_SECRETS_KEY", "is required when ENVIRONMENT=" + config.environment()
          + " (route secrets are encrypted with it); generate one with: head -c 32 /dev/urandom | base64");
    }
    stores.previousKeys().forEach(k -> keys.add(decode("ROUTE_SECRETS_PREVIOUS_KEYS", k)));
    return keys;
  }

  static byte[] decode(String variable, Secret key) {
    try {
      byte[] bytes = Base64.getDecoder().decode(key.value().trim());
      if (bytes.length == KEY_BYTES) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // reported below without echoing the value
    }
    throw new ConfigException(variable, "must be Base64 of exactly 32 bytes (head -c 32 /dev/urandom | base64)");
  }

  private static byte[] developmentKey(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
          LOG.atWarn().addKeyValue("file", file.toString()).log("ROUTE_SECRETS_KEY is not set: generated a "
              + "development key for route secrets; set ROUTE_SECRETS_KEY outside development");
        } catch (FileAlreadyExistsException raced) {
          // Another process made it first: use theirs.
        }
      }
      return decode("DATA_DIR/" + DEV_KEY_FILE, new Secret(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read " + file, e);
    }
  }
}
