package io.tally.analytics.adapter.cloudstores;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Builds store keys out of tenant, project and event ids, which may hold any character but control characters.
 * Components of a composite key are percent-encoded, so {@code #} and {@code |} separate them unambiguously and the
 * key stays readable; a document id is the event id itself when the store accepts it, otherwise a SHA-256 of it.
 */
public final class KeyParts {
  private static final Pattern SAFE_DOCUMENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private KeyParts() {}

  /** @return {@code part} percent-encoded (no {@code #}, {@code |}, {@code /} or {@code %} left bare) */
  public static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }

  /** @return the component {@link #encode} produced */
  public static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  /**
   * @param id an event id
   * @return a document id Firestore and Cosmos accept ({@code [A-Za-z0-9_.:-]}, not {@code .}, {@code ..} or
   *     {@code __x__}): the id itself when it qualifies, {@code h_<sha256 hex>} otherwise
   */
  public static String documentId(String id) {
    boolean reserved = id.equals(".") || id.equals("..") || (id.startsWith("__") && id.endsWith("__"))
        || id.startsWith("h_");
    if (!reserved && SAFE_DOCUMENT_ID.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "h_" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
