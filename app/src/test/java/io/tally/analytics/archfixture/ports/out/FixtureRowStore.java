package io.tally.analytics.archfixture.ports.out;

/** Clean: a driven port with a type of its own. */
public interface FixtureRowStore {
  /** Clean: the driven side's row type. */
  record Row(String id, long tokens) {}

  void append(Row row);
}
