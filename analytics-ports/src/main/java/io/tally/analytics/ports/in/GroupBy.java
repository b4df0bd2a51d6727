package io.tally.analytics.ports.in;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a series is split: one row per model per bucket ({@code model}, the default) or one per bucket. */
public enum GroupBy {
  MODEL,
  NONE;

  /** @return {@code model} or {@code none} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the value for a wire name, empty when unknown */
  public static Optional<GroupBy> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(g -> g.wireName().equals(wireName)).findFirst();
  }
}
