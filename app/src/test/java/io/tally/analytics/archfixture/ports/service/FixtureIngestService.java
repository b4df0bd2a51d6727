package io.tally.analytics.archfixture.ports.service;

import io.tally.analytics.archfixture.ports.in.FixtureIngest;
import io.tally.analytics.archfixture.ports.out.FixtureRowStore;

/** Clean: the use case's implementation, over its driven port. */
public class FixtureIngestService implements FixtureIngest {
  private final FixtureRowStore rows;

  public FixtureIngestService(FixtureRowStore rows) {
    this.rows = rows;
  }

  @Override
  public long ingest(Command command) {
    rows.append(new FixtureRowStore.Row(command.id(), command.tokens()));
    return command.tariff().priceOf(command.tokens(), java.time.Instant.EPOCH);
  }
}
