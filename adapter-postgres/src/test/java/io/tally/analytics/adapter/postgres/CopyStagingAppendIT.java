package io.tally.analytics.adapter.postgres;

import org.junit.jupiter.api.extension.RegisterExtension;

class CopyStagingAppendIT extends UsageBatchAppenderContract {

  @RegisterExtension static final TestDatabases DB = new TestDatabases();

  @Override
  TestDatabases db() {
    return DB;
  }

  @Override
  StagingLoader loader() {
    return new CopyStagingLoader();
  }
}
