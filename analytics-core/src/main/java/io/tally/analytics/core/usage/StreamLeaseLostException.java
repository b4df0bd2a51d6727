package io.tally.analytics.core.usage;

import io.tally.analytics.core.TallyException;
import java.util.Objects;

/**
 * A stream batch was refused because the lease it was consumed under is no longer held: another instance took the
 * lease over (this one stalled past its expiry) and the batch wrote nothing. Retrying the same batch cannot
 * succeed; the consumer that read it must stop and leave the stream to the lease's holder.
 */
public class StreamLeaseLostException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** The stable error code of this failure. */
  public static final String ERROR_CODE = "stream.lease_lost";

  private final transient StreamLeaseToken token;

  /**
   * @param token the lease the batch was consumed under
   * @param current who holds the lease now, as the store reads it (for the message only)
   */
  public StreamLeaseLostException(StreamLeaseToken token, String current) {
    super(Kind.CONFLICT, ERROR_CODE, "stream lease of " + token.stream() + "/" + token.consumer()
        + " lost by " + token.holder() + " (epoch " + token.epoch() + "); now " + current);
    this.token = Objects.requireNonNull(token, "token");
  }

  /** @return the lease the refused batch was consumed under */
  public StreamLeaseToken token() {
    return token;
  }
}
