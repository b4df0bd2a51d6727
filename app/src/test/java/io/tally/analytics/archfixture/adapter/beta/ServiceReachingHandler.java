package io.tally.analytics.archfixture.adapter.beta;

import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.ports.in.FixtureIngest;
import io.tally.analytics.archfixture.ports.service.FixtureIngestService;

@Planted("an adapter uses a use-case implementation instead of its ports.in interface")
public class ServiceReachingHandler {
  public long handle(FixtureIngestService service, FixtureIngest.Command command) {
    return service.ingest(command);
  }
}
