package io.tally.analytics.adapter.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The bucket sizes a usage or reliability query may ask for, with their wire names. */
public enum QueryGranularity {
  HOURLY("hourly"),
  DAILY("daily");

  private final String wireName;

  QueryGranularity(String wireName) {
    this.wireName = wireName;
  }

  /** @return {@code hourly} or {@code daily} */
  public String wireName() {
    return wireName;
  }

  /** @return the granularity with that wire name, case-insensitive */
  public static Optional<QueryGranularity> fromWireName(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(g -> g.wireName.equals(lower)).findFirst();
  }
}
