package io.tally.analytics.ports.testdata;

import io.tally.analytics.ports.out.IdGenerator;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable ids ({@code prefix-1}, {@code prefix-2}, …) for tests. */
public final class SequentialIds implements IdGenerator {
  private final String prefix;
  private final AtomicLong next = new AtomicLong();

  /** @param prefix id prefix */
  public SequentialIds(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public String newId() {
    return prefix + "-" + next.incrementAndGet();
  }
}
