package io.tally.analytics.adapter.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/** Test rows whose fingerprint is derived from their content, as the ingest path derives it from the payload. */
final class UsageRows {

  private UsageRows() {}

  static UsageEventRow row(UUID org, String eventId, Instant occurredAt) {
    return row(org, eventId, occurredAt, 100, 50, 1234);
  }

  static UsageEventRow row(
      UUID org, String eventId, Instant occurredAt, long input, long output, long latencyMs) {
    String status = latencyMs % 17 == 0 ? "error" : "success";
    return withFingerprint(
        org, eventId, occurredAt, "llama-3-70b", null, "key_1", input, output, input + 2 * output,
        latencyMs, status, status.equals("error") ? "upstream_timeout" : null, "us-east");
  }

  static UsageEventRow withFingerprint(
      UUID org, String eventId, Instant occurredAt, String model, String actor, String apiKey,
      long input, long output, long cost, long latencyMs, String status, String errorCode, String region) {
    String canonical =
        String.join("|", org.toString(), eventId, occurredAt.toString(), model, String.valueOf(actor),
            String.valueOf(apiKey), Long.toString(input), Long.toString(output), Long.toString(cost),
            Long.toString(latencyMs), status, String.valueOf(errorCode), String.valueOf(region));
    return new UsageEventRow(org, eventId, occurredAt, model, actor, apiKey, input, output, cost,
        latencyMs, status, errorCode, region, sha256Hex(canonical));
  }

  static String sha256Hex(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
