package io.tally.analytics.adapter.http;

import io.javalin.http.Context;
import io.tally.analytics.core.routing.Mode;
import java.util.Optional;

/**
 * The AN-01 request headers: {@code X-Tenant-ID} (whose store), {@code X-Mode} (what a missing route means) and
 * {@code X-Project-ID}. They are read before any use case runs so that a missing or malformed header is a 400
 * with a stable code, never a domain error about a null tenant.
 */
final class StoreHeaders {
  /** Tenant header. */
  public static final String TENANT = "X-Tenant-ID";
  /** Mode header: saas, enterprise, system or lab. */
  public static final String MODE = "X-Mode";
  /** Project header. */
  public static final String PROJECT = "X-Project-ID";

  /** Error code of an absent or unknown mode header. */
  public static final String INVALID_MODE = "request.invalid_mode";

  private static final int MAX_ID_LENGTH = 128;

  private StoreHeaders() {}

  /**
   * @return the tenant id
   * @throws RequestRejectedException {@code request.missing_tenant} when absent or blank,
   *     {@code request.invalid_tenant} when longer than 128 characters or carrying control characters
   */
  public static String tenant(Context ctx) {
    return optionalTenant(ctx).orElseThrow(() -> new RequestRejectedException("request.missing_tenant",
        TENANT + " header is required"));
  }

  /** @return the tenant id when the header is present (validated as in {@link #tenant}) */
  public static Optional<String> optionalTenant(Context ctx) {
    return text(ctx, TENANT, "request.invalid_tenant");
  }

  /**
   * @return the mode
   * @throws RequestRejectedException {@value #INVALID_MODE} (400) when absent or unknown
   */
  public static Mode mode(Context ctx) {
    String raw = ctx.header(MODE);
    return Mode.fromWireName(raw).orElseThrow(() -> new RequestRejectedException(INVALID_MODE,
        MODE + " must be one of saas, enterprise, system, lab (got " + raw + ")."));
  }

  /** @return the project id when the header is present */
  public static Optional<String> project(Context ctx) {
    return text(ctx, PROJECT, "request.invalid_project");
  }

  private static Optional<String> text(Context ctx, String header, String invalidCode) {
    String raw = ctx.header(header);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String value = raw.trim();
    if (value.length() > MAX_ID_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
      throw new RequestRejectedException(invalidCode,
          header + " must be at most " + MAX_ID_LENGTH + " characters without control characters");
    }
    return Optional.of(value);
  }
}
