package io.tally.analytics.ports.service;

import io.tally.analytics.ports.contract.GoldenUseCasesContract;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.testdata.GoldenDataset;

/** DESIGN.md §5 at unit level: the golden file through the use cases over in-memory stores. */
class GoldenUsageTest extends GoldenUseCasesContract {
  @Override
  protected Subject subject() {
    InMemoryUsageModule m = new InMemoryUsageModule(GoldenDataset.INGEST_CLOCK);
    return new Subject(m.ingest, m.rollup, m.usage, m.reliability, m.reconcile, m.deadLetters, m.rollups);
  }
}
