package io.tally.analytics.core.usage;

import io.tally.analytics.core.TallyException;

/**
 * A {@link UsageEvent} was constructed with a value that breaks one of its invariants. Wire input never
 * reaches this: {@link UsageEventValidator} turns bad input into {@link Violation} values first, so this
 * signals a programming error in a caller that bypassed the validator.
 */
public class InvalidUsageEventException extends TallyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param errorCode one of the stable {@code event.*} codes of {@link UsageEventRules}
   * @param message what was wrong
   */
  public InvalidUsageEventException(String errorCode, String message) {
    super(Kind.INVALID, errorCode, message);
  }
}
