package io.tally.analytics.adapter.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validated path parameters, so a malformed id is a 400 with a stable code before any use case runs (and an
 * id never reaches a query or a log unchecked).
 */
final class PathIds {
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private PathIds() {}

  /**
   * @param ctx the request
   * @param name the parameter, for example {@code orgId}
   * @return the parameter as a UUID
   * @throws RequestRejectedException {@code request.invalid_path_param} when it is not a UUID
   */
  public static UUID uuid(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      UUID id = UUID.fromString(raw);
      if (id.toString().equalsIgnoreCase(raw)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new RequestRejectedException("request.invalid_path_param", name + " must be a UUID");
  }

  /**
   * @param ctx the request
   * @param name the parameter, for example {@code event_id}
   * @return the parameter when it is 1-128 characters of {@code [A-Za-z0-9._:-]}
   * @throws RequestRejectedException {@code request.invalid_path_param} otherwise
   */
  public static String plain(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    if (!PLAIN_ID.matcher(raw).matches()) {
      throw new RequestRejectedException("request.invalid_path_param",
          name + " must be 1-128 characters of letters, digits, . _ : -");
    }
    return raw;
  }

  /**
   * For ids the client chose (AN-01 event ids, user ids), which may hold any printable character.
   *
   * @param ctx the request
   * @param name the parameter, for example {@code user_id}
   * @return the decoded parameter when it is 1-128 characters without control characters
   * @throws RequestRejectedException {@code request.invalid_path_param} otherwise
   */
  public static String text(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    if (raw.isBlank() || raw.length() > 128 || raw.chars().anyMatch(Character::isISOControl)) {
      throw new RequestRejectedException("request.invalid_path_param",
          name + " must be 1-128 characters without control characters");
    }
    return raw;
  }
}
