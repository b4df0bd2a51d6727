package io.tally.analytics.adapter.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and discards the rest of a body that is refused as too large, so that the client gets the 413.
 *
 * <p>A server that answers early and closes the connection while the client is still writing makes the
 * client's write fail, and most clients then report a broken pipe or "no response" instead of the answer
 * (the JDK client did, for 4–6 MB bodies, in clean test runs). Reading the remainder first (what web servers
 * call a lingering close) lets the client finish and read the 413. The reading is bounded: past
 * {@link #DRAIN_FACTOR} times the body limit the connection is simply closed, so a huge upload costs at most
 * that much reading.
 */
final class OversizeBodies {
  /** How many times the body limit is read and thrown away, at most, before the connection is dropped. */
  static final int DRAIN_FACTOR = 4;

  private OversizeBodies() {}

  /**
   * @param body the request body stream, positioned wherever reading stopped
   * @param declaredLength the Content-Length, or -1 when the body is chunked
   * @param maxBodyBytes the body limit
   */
  static void drain(InputStream body, long declaredLength, long maxBodyBytes) {
    long budget = maxBodyBytes * DRAIN_FACTOR;
    if (declaredLength > budget) {
      return;
    }
    byte[] scratch = new byte[64 * 1024];
    try {
      long read = 0;
      for (int n = body.read(scratch); n >= 0 && read < budget; n = body.read(scratch)) {
        read += n;
      }
    } catch (IOException e) {
      // The client went away or stalled: the 413 is still the answer, the connection closes anyway.
    }
  }
}
