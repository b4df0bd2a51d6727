package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.SecretSealer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals route secrets with AES-256-GCM: {@code tally-sealed:v1:<key id>:<Base64(nonce || ciphertext+tag)>}, a fresh
 * 96-bit nonce per value, the storage context as associated data (a value moved to another tenant, env or key
 * fails to open), and the key id (the first 8 hex digits of the key's SHA-256) so that values sealed under a
 * previous key still open during a rotation and are recognised as needing a reseal.
 */
final class AesGcmSecretSealer implements SecretSealer {
  private static final String PREFIX = "tally-sealed:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final String currentId;
  private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

  /** @param keys the current key first, then previous keys (32 bytes each) */
  AesGcmSecretSealer(List<byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least the current key");
    }
    for (byte[] k : keys) {
      this.keys.putIfAbsent(keyId(k), new SecretKeySpec(k, "AES"));
    }
    this.currentId = keyId(keys.get(0));
  }

  @Override
  public String seal(String plaintext, String context) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JVM", e);
    }
  }

  @Override
  public String open(String stored, String context) {
    if (!stored.startsWith(PREFIX)) {
      return stored;
    }
    String[] parts = stored.substring(PREFIX.length()).split(":", 2);
    SecretKeySpec key = parts.length == 2 ? keys.get(parts[0]) : null;
    if (key == null) {
      throw new TallyException(TallyException.Kind.FAULT, "route_secrets.cannot_open",
          "A route secret is sealed with a key this server "
          + "does not have (key id " + (parts.length == 2 ? parts[0] : "?") + "); set ROUTE_SECRETS_KEY or "
          + "ROUTE_SECRETS_PREVIOUS_KEYS to include it.");
    }
    try {
      byte[] in = Base64.getDecoder().decode(parts[1]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new TallyException(TallyException.Kind.FAULT, "route_secrets.cannot_open",
          "A route secret failed to open (tampered, or sealed "
          + "for another route).", e);
    }
  }

  @Override
  public boolean needsResealing(String stored) {
    return !stored.startsWith(PREFIX + currentId + ":");
  }

  private static String keyId(byte[] key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
