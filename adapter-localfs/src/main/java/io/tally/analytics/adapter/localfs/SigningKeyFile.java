package io.tally.analytics.adapter.localfs;

import io.tally.analytics.core.export.DownloadLinkSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The embedded store's link-signing key when {@code EXPORT_SIGNING_KEY} is not set: 32 random bytes generated once
 * into a file (hex, created with mode 0600 so no other user can read it) and reused after restarts, so links stay
 * valid across them. A key file other users can read is refused: anyone with the key can forge download links.
 */
public final class SigningKeyFile {
  /** File name under {@code DATA_DIR}. */
  public static final String FILE_NAME = "export-signing.key";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SigningKeyFile() {}

  /**
   * @param dataDir {@code DATA_DIR} (created when missing)
   * @return the key in {@code dataDir/export-signing.key}, generated on first use
   * @throws IllegalStateException when the file is readable by others or does not hold a key
   */
  public static byte[] loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      try {
        byte[] key = new byte[DownloadLinkSigner.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
        return key;
      } catch (FileAlreadyExistsException exists) {
        return read(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the export signing key " + file, e);
    }
  }

  private static byte[] read(Path file) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new IllegalStateException(file + " is readable by other users (mode "
          + PosixFilePermissions.toString(perms) + "); run chmod 600 on it, or set EXPORT_SIGNING_KEY");
    }
    String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      byte[] key = HexFormat.of().parseHex(hex);
      if (key.length >= DownloadLinkSigner.MIN_KEY_BYTES) {
        return key;
      }
    } catch (IllegalArgumentException notHex) {
      // reported below
    }
    throw new IllegalStateException(file + " does not hold a hex key of at least "
        + DownloadLinkSigner.MIN_KEY_BYTES + " bytes; delete it to generate a new one");
  }
}
