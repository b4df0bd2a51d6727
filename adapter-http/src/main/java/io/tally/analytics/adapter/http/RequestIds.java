package io.tally.analytics.adapter.http;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Request ids: a caller's {@code X-Request-ID} is kept when it is short and plain (so it cannot inject into
 * logs or headers), otherwise a fresh UUID is used.
 */
final class RequestIds {
  /** The header read and echoed. */
  public static final String HEADER = "X-Request-ID";
  /** The context attribute and MDC key holding the id. */
  public static final String KEY = "request_id";

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private RequestIds() {}

  /**
   * @param offered the header value, possibly null
   * @return the offered id when sane, else a new random one
   */
  public static String acceptOrGenerate(String offered) {
    if (offered != null && SANE.matcher(offered).matches()) {
      return offered;
    }
    return UUID.randomUUID().toString();
  }
}
