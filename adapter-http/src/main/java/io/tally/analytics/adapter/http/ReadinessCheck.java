package io.tally.analytics.adapter.http;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One dependency {@code readyz} probes (PostgreSQL, Redis, RabbitMQ, S3, ...).
 *
 * @param name component name shown in the readiness body
 * @param probe returns normally when the dependency answers; throws when it does not
 * @param details figures shown next to the component's status whether it is up or down (for the stream
 *     consumer: its state and lag), so an operator sees why before it turns into an outage
 * @param degradation asked when the probe passed: a reason makes the component {@code degraded} (the server
 *     still serves, readyz stays 200) instead of {@code up}, for example the rollup with quarantined hours
 */
public record ReadinessCheck(String name, Probe probe, Details details, Degradation degradation) {

  /** A cheap round trip to the dependency (for example {@code SELECT 1}). */
  @FunctionalInterface
  public interface Probe {
    /** @throws Exception when the dependency is not usable */
    void run() throws Exception;
  }

  /** Figures about the component, read without a network round trip. */
  @FunctionalInterface
  public interface Details {
    /** @return JSON-ready values (strings, numbers, booleans) keyed by name; never the key {@code status} */
    Map<String, Object> read();
  }

  /** Whether a component that answers works only in part. */
  @FunctionalInterface
  public interface Degradation {
    /** @return why the component is degraded, empty when it works fully */
    Optional<String> reason();
  }

  /** Validates. */
  public ReadinessCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(degradation, "degradation");
  }

  /** A check that is up or down, never degraded. */
  public ReadinessCheck(String name, Probe probe, Details details) {
    this(name, probe, details, Optional::empty);
  }

  /** A check with nothing to show beyond up or down. */
  public ReadinessCheck(String name, Probe probe) {
    this(name, probe, Map::of);
  }
}
