package io.tally.analytics.adapter.http;

import java.util.Objects;

/**
 * One dependency {@code readyz} probes (PostgreSQL, Redis, RabbitMQ, S3, ...).
 *
 * @param name component name shown in the readiness body
 * @param probe returns normally when the dependency answers; throws when it does not
 */
public record ReadinessCheck(String name, Probe probe) {

  /** A cheap round trip to the dependency (for example {@code SELECT 1}). */
  @FunctionalInterface
  public interface Probe {
    /** @throws Exception when the dependency is not usable */
    void run() throws Exception;
  }

  /** Validates. */
  public ReadinessCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(probe, "probe");
  }
}
