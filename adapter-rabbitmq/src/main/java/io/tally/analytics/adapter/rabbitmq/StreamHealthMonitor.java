package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.Environment;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what the stream client does not report: whether the broker's endpoint answers (stream-client 0.23 has
 * no connection listener, so a closed port is how a lost subscription shows) and the stream's last offset, for
 * lag. Runs on two daemon threads of its own: the tail probe subscribes through the client, which can block for
 * seconds while the broker is down, and must never delay noticing that the endpoint is gone.
 */
final class StreamHealthMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(StreamHealthMonitor.class);
  private static final long RECONNECT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final StreamSettings settings;
  private final Environment environment;
  private final BrokerEndpoint endpoint;
  private final ScheduledExecutorService threads;
  /** System.nanoTime() when the endpoint was seen unreachable, 0 when connected. */
  private volatile long reconnectingSince;
  private volatile long tail = -1;
  private volatile boolean stopped;

  StreamHealthMonitor(StreamSettings settings, Environment environment) {
    this.settings = settings;
    this.environment = environment;
    this.endpoint = BrokerEndpoint.of(settings.uri());
    this.threads = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "tally-stream-monitor-" + settings.consumerName());
      t.setDaemon(true);
      return t;
    });
  }

  /** Probes now and then every {@code interval}. */
  void start(Duration interval) {
    long every = interval.toMillis();
    threads.scheduleWithFixedDelay(this::probeEndpoint, 0, every, TimeUnit.MILLISECONDS);
    threads.scheduleWithFixedDelay(this::probeTail, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Stops probing (interrupting a probe under way). */
  void stop() {
    stopped = true;
    threads.shutdownNow();
  }

  /** The client has subscribed again: the endpoint is evidently back. */
  void resubscribed() {
    reconnectingSince = 0;
  }

  /** @return true from the moment the endpoint was seen unreachable until the client resubscribed */
  boolean reconnecting() {
    return reconnectingSince != 0;
  }

  /** @return the stream's last offset as of the last tail probe, -1 before the first or for an empty stream */
  long tail() {
    return tail;
  }

  private void probeEndpoint() {
    if (stopped) return;
    if (!endpoint.reachable()) {
      // A closed port means the subscription is gone too; the state stays RECONNECTING until the client has
      // resubscribed.
      if (reconnectingSince == 0) {
        reconnectingSince = System.nanoTime();
        LOG.warn("RabbitMQ stream endpoint {} unreachable; waiting for the client to reconnect", settings.redactedUri());
      }
      return;
    }
    long since = reconnectingSince;
    if (since != 0 && System.nanoTime() - since > RECONNECT_GRACE_NANOS) {
      // Reachable for long and never resubscribed: the subscription evidently survived the blip.
      reconnectingSince = 0;
    }
  }

  private void probeTail() {
    if (stopped || reconnectingSince != 0) return;
    try {
      OptionalLong last = new StreamTailProbe(environment, settings.stream(), Duration.ofSeconds(1)).lastOffset();
      tail = last.orElse(-1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("Tail probe of {} failed: {}", settings.stream(), e.toString());
    }
  }
}
