package io.tally.analytics.adapter.http;

/** Parses a {@code limit} query parameter against a default and a hard maximum (OWASP API4). */
final class PageSize {
  private PageSize() {}

  /**
   * @param limit the raw parameter, possibly null or empty
   * @param defaultSize used when absent
   * @param max the largest page a client may ask for
   * @return the page size, 1..max
   * @throws RequestRejectedException {@code request.invalid_limit} when not an integer in 1..max
   */
  public static int parse(String limit, int defaultSize, int max) {
    if (limit == null || limit.isEmpty()) {
      return Math.min(defaultSize, max);
    }
    int value;
    try {
      value = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1 || value > max) {
      throw new RequestRejectedException("request.invalid_limit", "limit must be an integer from 1 to " + max);
    }
    return value;
  }
}
