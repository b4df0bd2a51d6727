package io.tally.analytics.core.usage;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SHA-256 (lower-case hex) over every field of an event as it was received, before pricing. Two deliveries with
 * the same {@link UsageEventKey} and the same fingerprint are a duplicate; a different fingerprint is a
 * conflict.
 *
 * <p>The hash is taken over the validated, canonical values (UUID and instant in their canonical text,
 * numbers as decimal), so re-encoding a message on the way (HTTP vs stream, {@code +00:00} vs {@code Z})
 * does not turn a resend into a conflict. Each field is written as {@code name=value} or {@code name!} when
 * absent, each followed by a 0x1F byte (which cannot occur in a valid field), UTF-8, in the order eventId, orgId,
 * occurredAt ({@link java.time.Instant#toString()}), modelId, actorId, apiKeyId, inputTokens, outputTokens,
 * costMicros, latencyMs, status (wire name), errorCode, region. The value is pinned by a test: stores keep it,
 * so changing the form would turn every later resend into a false conflict.
 *
 * @param hex 64 lower-case hex characters
 */
public record UsageEventFingerprint(String hex) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /** Validates. */
  public UsageEventFingerprint {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("fingerprint must be 64 lower-case hex characters");
    }
  }

  /**
   * @param asReceived the validated event before pricing (its costMicros is whatever the client sent)
   * @return the fingerprint
   */
  public static UsageEventFingerprint of(UsageEvent asReceived) {
    Hasher hasher = Hashing.sha256().newHasher();
    put(hasher, "eventId", Optional.of(asReceived.eventId()));
    put(hasher, "orgId", Optional.of(asReceived.orgId().toString()));
    put(hasher, "occurredAt", Optional.of(asReceived.occurredAt().toString()));
    put(hasher, "modelId", Optional.of(asReceived.modelId()));
    put(hasher, "actorId", asReceived.actorId());
    put(hasher, "apiKeyId", asReceived.apiKeyId());
    put(hasher, "inputTokens", Optional.of(Long.toString(asReceived.inputTokens())));
    put(hasher, "outputTokens", Optional.of(Long.toString(asReceived.outputTokens())));
    put(hasher, "costMicros", asReceived.costMicros().map(String::valueOf));
    put(hasher, "latencyMs", Optional.of(Long.toString(asReceived.latencyMs())));
    put(hasher, "status", Optional.of(asReceived.status().wireName()));
    put(hasher, "errorCode", asReceived.errorCode());
    put(hasher, "region", asReceived.region());
    return new UsageEventFingerprint(hasher.hash().toString());
  }

  private static void put(Hasher hasher, String name, Optional<String> value) {
    hasher.putString(name, StandardCharsets.UTF_8);
    if (value.isPresent()) {
      hasher.putByte((byte) '=').putString(value.get(), StandardCharsets.UTF_8);
    } else {
      hasher.putByte((byte) '!');
    }
    hasher.putByte((byte) 0x1F);
  }
}
