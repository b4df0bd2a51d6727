package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.core.TallyException;

/** The RabbitMQ stream endpoint could not be reached or refused the connection ({@code stream.unreachable}). */
public final class StreamUnreachableException extends TallyException {
  private static final long serialVersionUID = 1L;

  public static final String CODE = "stream.unreachable";

  public StreamUnreachableException(String message, Throwable cause) {
    super(Kind.UNAVAILABLE, CODE, message, cause);
  }
}
