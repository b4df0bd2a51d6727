package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.localfs.SigningKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded store's signing key file appears when a server first needs it, not as a side effect of seed or verify. */
class ExportSigningKeyIT {
  @Test
  void onlyUsingTheStoreMakesTheKeyFileWithMode0600() throws Exception {
    Path dataDir = Files.createTempDirectory("tally-key-");
    Path keyFile = dataDir.resolve(SigningKeyFile.FILE_NAME);
    try (FreshDatabase database = new FreshDatabase();
        TallyServices services = TallyServices.open(TallyConfig.fromEnvironment(Map.of(
            "DATABASE_URL", database.url(), "DATA_DIR", dataDir.toString())), Instant::now)) {
      assertThat(keyFile).as("wiring alone (seed, verify, migrate) makes no key").doesNotExist();
      services.exportObjects().store().checkReady();
      assertThat(keyFile).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }
  }
}
