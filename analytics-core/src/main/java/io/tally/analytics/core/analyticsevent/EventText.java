package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.util.Optional;

/** Shared text checks for identifiers and short labels of AN-01 events, queries and aggregations. */
final class EventText {
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_LABEL_LENGTH = 256;

  private EventText() {}

  static String required(String value, String field, int maxLength, String code) {
    if (value == null || value.isBlank() || value.length() > maxLength || hasControl(value)) {
      throw new TallyException(TallyException.Kind.INVALID, code, field + " must be non-blank, at most " + maxLength
          + " characters, without control characters.");
    }
    return value;
  }

  static Optional<String> optional(Optional<String> value, String field, int maxLength, String code) {
    if (value == null) {
      throw new TallyException(TallyException.Kind.INVALID, code, field + " must not be null (use Optional.empty()).");
    }
    value.ifPresent(v -> required(v, field, maxLength, code));
    return value;
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }
}
