package io.tally.analytics.core.usage;

import java.util.Arrays;
import java.util.Optional;

/** Outcome of one inference request, as the wire format spells it ({@code "success"} / {@code "error"}). */
public enum UsageStatus {
  SUCCESS("success"),
  ERROR("error");

  private final String wireName;

  UsageStatus(String wireName) {
    this.wireName = wireName;
  }

  /** @return the lower-case name used on the wire and in storage */
  public String wireName() {
    return wireName;
  }

  /**
   * @param wireName {@code "success"} or {@code "error"}; matching is exact because clients already send these
   * @return the status, or empty for any other text
   */
  public static Optional<UsageStatus> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
  }
}
