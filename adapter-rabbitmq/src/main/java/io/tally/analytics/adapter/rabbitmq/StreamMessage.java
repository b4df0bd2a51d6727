package io.tally.analytics.adapter.rabbitmq;

import java.util.Arrays;
import java.util.Optional;

/**
 * One message as it came off the stream, not yet parsed: the sink decides whether it is a valid usage event
 * or goes to the dead-letter store (so a poison message never stalls the stream).
 *
 * @param offset stream offset
 * @param body raw body bytes (expected: the JSON usage event)
 * @param contentType the AMQP content-type property, if the publisher set one
 * @param publishedAtMillis the creation-time property (publisher clock, epoch millis), 0 if absent
 */
public record StreamMessage(long offset, byte[] body, Optional<String> contentType, long publishedAtMillis) {
  public StreamMessage {
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0");
    if (body == null) throw new IllegalArgumentException("body must not be null");
    if (contentType == null) throw new IllegalArgumentException("contentType must not be null (use Optional.empty())");
  }

  /** @return true when the publisher declared the body as {@code application/json} (parameters allowed) */
  public boolean isJson() {
    return contentType.map(ct -> ct.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(ct -> ct.equals("application/json") || ct.startsWith("application/json;"))
        .isPresent();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamMessage m && m.offset == offset && Arrays.equals(m.body, body)
        && m.contentType.equals(contentType) && m.publishedAtMillis == publishedAtMillis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "StreamMessage[offset=" + offset + ", bytes=" + body.length + ", contentType=" + contentType + "]";
  }
}
