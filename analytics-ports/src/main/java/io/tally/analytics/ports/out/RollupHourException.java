package io.tally.analytics.ports.out;

import io.tally.analytics.core.TallyException;

/**
 * A rollup could not be computed from the data stored for the hours it covered (a value out of range, a corrupt
 * row): trying again as it is will fail again, so the rollup use case quarantines the hours instead of stopping.
 * A store throws this for data-dependent failures only; an unreachable database is a different fault, which
 * quarantines nothing.
 */
public class RollupHourException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** The stable code. */
  public static final String CODE = "rollup.hour_failed";

  /** @param message what failed, short and free of connection details (it is shown to API clients) */
  public RollupHourException(String message) {
    super(Kind.FAULT, CODE, message);
  }

  /**
   * @param message what failed, as above
   * @param cause the underlying failure
   */
  public RollupHourException(String message, Throwable cause) {
    super(Kind.FAULT, CODE, message, cause);
  }
}
