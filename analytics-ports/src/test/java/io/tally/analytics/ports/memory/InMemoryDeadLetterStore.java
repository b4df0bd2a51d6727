package io.tally.analytics.ports.memory;

import io.tally.analytics.ports.out.DeadLetter;
import io.tally.analytics.ports.out.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;

/** {@link DeadLetterStore} in a list. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
  private final List<DeadLetter> letters = new ArrayList<>();

  @Override
  public synchronized void append(List<DeadLetter> newLetters) {
    letters.addAll(newLetters);
  }

  @Override
  public synchronized long count() {
    return letters.size();
  }

  @Override
  public synchronized List<DeadLetter> latest(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    List<DeadLetter> newestFirst = new ArrayList<>();
    for (int i = letters.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      newestFirst.add(letters.get(i));
    }
    return newestFirst;
  }
}
