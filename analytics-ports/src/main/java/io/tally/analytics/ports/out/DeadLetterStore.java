package io.tally.analytics.ports.out;

import java.util.List;

/**
 * Keeps rejected events so that nothing is dropped silently. Contract: {@code DeadLetterStoreContract}.
 */
public interface DeadLetterStore {
  /** @param letters rejected events, stored in order */
  void append(List<DeadLetter> letters);

  /** @return number of dead letters stored */
  long count();

  /**
   * @param limit maximum number returned, {@code > 0}
   * @return the most recent dead letters, newest first
   */
  List<DeadLetter> latest(int limit);
}
