package io.tally.analytics.ports.out;

/** Produces unique identifiers (export jobs, ingestion batches, AN-01 events, routes). */
@FunctionalInterface
public interface IdGenerator {
  /** @return a new identifier, unique for the life of the deployment */
  String newId();
}
