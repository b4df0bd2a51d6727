package io.tally.analytics.core.export;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the embedded store's download links: an HMAC-SHA256 over the object key and the expiry
 * (epoch seconds), hex-encoded. The link is a bearer credential until it expires, so the key must stay secret
 * ({@code EXPORT_SIGNING_KEY}, or a random key kept in {@code DATA_DIR} with mode 0600) and the comparison is
 * constant-time. Immutable and thread-safe.
 */
public final class DownloadLinkSigner {
  /** Shortest key accepted: 32 bytes, the HMAC-SHA256 block's recommended minimum. */
  public static final int MIN_KEY_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  /** What a check found. */
  public enum Verdict {
    /** The signature matches and the link has not expired. */
    VALID,
    /** The signature matches but the expiry has passed. */
    EXPIRED,
    /** The signature does not match the key and expiry (tampered, or signed with another key). */
    TAMPERED
  }

  /** @param key secret, at least {@link #MIN_KEY_BYTES} bytes */
  public DownloadLinkSigner(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("signing key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /**
   * @param objectKey the object's key
   * @param expiresEpochSecond last valid second
   * @return lower-case hex HMAC over key and expiry
   */
  public String sign(String objectKey, long expiresEpochSecond) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      // The newline cannot occur in an object key, so (key, expiry) pairs never collide.
      return HexFormat.of().formatHex(
          mac.doFinal((objectKey + "\n" + expiresEpochSecond).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * @param objectKey key from the link
   * @param expiresEpochSecond expiry from the link
   * @param signature signature from the link
   * @param now the check instant
   * @return TAMPERED unless the signature matches; then EXPIRED once {@code now} is past the expiry, else VALID
   */
  public Verdict verify(String objectKey, long expiresEpochSecond, String signature, Instant now) {
    byte[] expected = sign(objectKey, expiresEpochSecond).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return Verdict.TAMPERED;
    }
    return now.getEpochSecond() > expiresEpochSecond ? Verdict.EXPIRED : Verdict.VALID;
  }
}
