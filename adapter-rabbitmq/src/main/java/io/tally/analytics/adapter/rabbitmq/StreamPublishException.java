package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.core.TallyException;

/**
 * The broker did not confirm some published messages ({@code stream.publish_failed}). The publisher is
 * unusable afterwards: close it, open a new one with the same producer name and resume from
 * {@link UsageEventPublisher#lastPublishingId()} + 1; the broker drops whatever it already holds.
 */
final class StreamPublishException extends TallyException {
  private static final long serialVersionUID = 1L;

  public static final String CODE = "stream.publish_failed";

  public StreamPublishException(String message) {
    super(Kind.FAULT, CODE, message);
  }

  public StreamPublishException(String message, Throwable cause) {
    super(Kind.FAULT, CODE, message, cause);
  }
}
