package io.tally.analytics.archfixture.adapter.beta;

import io.tally.analytics.archfixture.ports.in.FixtureIngest;

/** Clean: a driving adapter that calls the use case through its ports.in interface. */
public class BetaIngestHandler {
  private final FixtureIngest ingest;

  public BetaIngestHandler(FixtureIngest ingest) {
    this.ingest = ingest;
  }

  public long handle(FixtureIngest.Command command) {
    return ingest.ingest(command);
  }
}
