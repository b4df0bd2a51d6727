package io.tally.analytics.adapter.postgres;

import org.junit.jupiter.api.extension.RegisterExtension;

class KeysFirstCopyAppendIT extends UsageBatchAppenderContract {

  @RegisterExtension static final TestDatabases DB = new TestDatabases();

  @Override
  TestDatabases db() {
    return DB;
  }

  @Override
  IngestStrategy strategy() {
    return new KeysFirstCopyIngest();
  }
}
