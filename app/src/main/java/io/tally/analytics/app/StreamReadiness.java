package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ReadinessCheck;
import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code stream} component of {@code readyz}, judged from the consumer's own state rather than a TCP connect:
 * down when the consumer is stopped, and when it has been reconnecting for longer than a grace period (a short
 * reconnect after a broker restart is normal and should not pull the instance out of a load balancer).
 *
 * <p>The server's checks are built before the consumer starts, so the consumer is attached afterwards.
 */
final class StreamReadiness {
  static final Duration RECONNECT_GRACE = Duration.ofSeconds(30);

  private final TimeSource time;
  private final Duration grace;
  private volatile Supplier<ConsumerStatus> status;
  private volatile String notStartedBecause;
  private volatile Supplier<StreamLeaseHolder.View> lease;
  private Instant reconnectingSince;

  StreamReadiness(TimeSource time, Duration grace) {
    this.time = time;
    this.grace = grace;
  }

  /** Why the consumer has not started yet (the broker is unreachable, say); shown until it is attached. */
  void waiting(String reason) {
    this.notStartedBecause = reason;
  }

  /** Starts judging this consumer's status. */
  void attach(Supplier<ConsumerStatus> consumerStatus) {
    this.status = consumerStatus;
  }

  /** Judges by the stream lease too: an instance that does not hold it is a ready standby. */
  void lease(Supplier<StreamLeaseHolder.View> view) {
    this.lease = view;
  }

  private Optional<StreamLeaseHolder.View> leaseView() {
    Supplier<StreamLeaseHolder.View> source = lease;
    return source == null ? Optional.empty() : Optional.of(source.get());
  }

  ReadinessCheck check() {
    return new ReadinessCheck("stream", this::probe, this::details);
  }

  /**
   * @return the consumer's state and how far it is behind: {@code lag} is the stream's last offset minus the
   *     offset committed in the database, each shown as well; a figure not known yet is left out
   */
  Map<String, Object> details() {
    Supplier<ConsumerStatus> source = status;
    Map<String, Object> d = new LinkedHashMap<>();
    Optional<StreamLeaseHolder.View> view = leaseView();
    if (view.isPresent()) {
      d.put("instance", view.get().instance());
      view.get().holder().ifPresent(h -> d.put("leaseHolder", h));
      if (!view.get().active()) {
        d.put("state", "standby");
        return d;
      }
    }
    if (source == null) {
      d.put("state", "not_started");
      String reason = notStartedBecause;
      if (reason != null) d.put("reason", reason);
      return d;
    }
    ConsumerStatus s = source.get();
    d.put("state", s.state().name().toLowerCase(Locale.ROOT));
    s.lag().ifPresent(lag -> d.put("lag", lag));
    s.lastCommittedOffset().ifPresent(o -> d.put("committedOffset", o));
    s.streamTailOffset().ifPresent(o -> d.put("streamLastOffset", o));
    d.put("bufferedMessages", s.bufferedMessages());
    return d;
  }

  /** @throws StreamConsumerNotReady when the consumer is not attached, stopped, or reconnecting for too long */
  synchronized void probe() throws StreamConsumerNotReady {
    if (leaseView().filter(v -> !v.active()).isPresent()) {
      return; // a standby: another instance consumes, this one serves everything else
    }
    Supplier<ConsumerStatus> source = status;
    if (source == null) {
      String reason = notStartedBecause;
      throw new StreamConsumerNotReady("the stream consumer has not started" + (reason == null ? "" : ": " + reason));
    }
    ConsumerStatus s = source.get();
    if (s.state() != ConsumerState.RECONNECTING) {
      reconnectingSince = null;
    } else if (reconnectingSince == null) {
      reconnectingSince = time.now();
    }
    if (s.state() == ConsumerState.STOPPED) {
      throw new StreamConsumerNotReady("the stream consumer is stopped");
    }
    Optional<Duration> reconnecting = Optional.ofNullable(reconnectingSince)
        .map(since -> Duration.between(since, time.now()));
    if (reconnecting.filter(d -> d.compareTo(grace) > 0).isPresent()) {
      throw new StreamConsumerNotReady("the stream consumer has been reconnecting for " + reconnecting.get()
          + " (lag " + (s.lag().isPresent() ? s.lag().getAsLong() : "unknown") + ")");
    }
  }

  /** Why the consumer is not ready; readyz shows the type, logs and tests the message. */
  static final class StreamConsumerNotReady extends Exception {
    private static final long serialVersionUID = 1L;

    StreamConsumerNotReady(String message) {
      super(message);
    }
  }
}
