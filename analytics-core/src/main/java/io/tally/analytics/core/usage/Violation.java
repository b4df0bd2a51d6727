package io.tally.analytics.core.usage;

import java.util.Objects;

/**
 * One broken rule of an incoming event.
 *
 * @param errorCode stable code from {@link UsageEventRules}, for example {@code event.invalid_tokens}
 * @param field the wire field name, for example {@code inputTokens}
 * @param message human-readable detail, safe to return to the client
 */
public record Violation(String errorCode, String field, String message) {
  /** Validates. */
  public Violation {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
