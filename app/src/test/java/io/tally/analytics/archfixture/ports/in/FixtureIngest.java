package io.tally.analytics.archfixture.ports.in;

import io.tally.analytics.archfixture.core.CleanTariff;

/** Clean: a use case whose command speaks core's language only. */
public interface FixtureIngest {
  record Command(String id, long tokens, CleanTariff tariff) {}

  long ingest(Command command);
}
