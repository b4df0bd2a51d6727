package io.tally.analytics.core.usage;

import java.util.List;
import java.util.Objects;

/** What {@link UsageEventValidator} concluded about one candidate: a valid event, or every problem found. */
public sealed interface ValidationResult permits ValidationResult.Valid, ValidationResult.Invalid {

  /** @return true for {@link Valid} */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /**
   * The candidate passed every rule.
   *
   * @param event the validated event (cost as received; pricing happens afterwards)
   */
  record Valid(UsageEvent event) implements ValidationResult {
    /** Validates. */
    public Valid {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The candidate broke at least one rule.
   *
   * @param violations every broken rule, never empty, in field order
   */
  record Invalid(List<Violation> violations) implements ValidationResult {
    /** Validates and copies. */
    public Invalid {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("an invalid result needs at least one violation");
      }
    }

    /** @return the distinct error codes, in order of first appearance */
    public List<String> errorCodes() {
      return violations.stream().map(Violation::errorCode).distinct().toList();
    }
  }
}
