package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The embedded default's object store (no {@code S3_BUCKET}): files under {@code DATA_DIR/exports}, written to a
 * temporary file and moved into place so a reader never sees half an export. Signed URLs carry an expiry and an
 * HMAC-SHA256 over key and expiry with a per-process key.
 */
final class LocalDirectoryObjectStore implements ObjectStore {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,511}");

  private final Path root;
  private final TimeSource time;
  private final byte[] signingKey = new byte[32];

  LocalDirectoryObjectStore(Path root, TimeSource time) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.time = Objects.requireNonNull(time, "time");
    new SecureRandom().nextBytes(signingKey);
  }

  @Override
  public long put(String key, String contentType, Content content) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".part-", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(target);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write object " + key, e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public InputStream open(String key) {
    try {
      return Files.newInputStream(resolve(key));
    } catch (NoSuchFileException e) {
      throw new TallyException(NOT_FOUND, "no object " + key);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read object " + key, e);
    }
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    long expires = time.now().plus(ttl).getEpochSecond();
    return resolve(key).toUri() + "?expires=" + expires + "&signature=" + sign(key + "\n" + expires);
  }

  private String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private Path resolve(String key) {
    if (!KEY.matcher(key).matches() || key.contains("..")) {
      throw new IllegalArgumentException("object key not allowed: " + key);
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("object key escapes the store: " + key);
    }
    return p;
  }
}
