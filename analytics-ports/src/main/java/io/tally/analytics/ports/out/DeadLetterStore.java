package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.DeadLetter;
import java.util.List;

/**
 * Reads the rejected events kept so that nothing is dropped silently. There is no separate write: dead letters
 * are appended with their batch by {@link UsageEventStore#append}, in the same transaction as its rows and
 * stream position, so a redelivered batch can never leave them written twice or not at all. Contract:
 * {@code DeadLetterStoreContract}.
 */
public interface DeadLetterStore {
  /** @return number of dead letters stored */
  long count();

  /**
   * @param limit maximum number returned, {@code > 0}
   * @return the most recent dead letters, newest first
   */
  List<DeadLetter> latest(int limit);
}
