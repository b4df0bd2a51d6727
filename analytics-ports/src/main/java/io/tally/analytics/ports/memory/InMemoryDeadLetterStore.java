package io.tally.analytics.ports.memory;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.ports.out.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;

/** {@link DeadLetterStore} over {@link InMemoryUsageData}, whose letters the event store appends. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
  private final InMemoryUsageData data;

  InMemoryDeadLetterStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public long count() {
    synchronized (data) {
      return data.deadLetters.size();
    }
  }

  @Override
  public List<DeadLetter> latest(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    synchronized (data) {
      List<DeadLetter> newestFirst = new ArrayList<>();
      for (int i = data.deadLetters.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
        newestFirst.add(data.deadLetters.get(i));
      }
      return newestFirst;
    }
  }
}
