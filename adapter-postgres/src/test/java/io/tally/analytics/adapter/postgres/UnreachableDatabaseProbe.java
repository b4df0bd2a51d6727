package io.tally.analytics.adapter.postgres;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Child-JVM entry point of {@link UnreachableDatabaseTest}: asks for a database and prints the outcome. */
public final class UnreachableDatabaseProbe {
  private UnreachableDatabaseProbe() {}

  public static void main(String[] args) {
    String outcome;
    try {
      TestDatabases.create("probe");
      outcome = "created";
    } catch (TestAbortedException e) {
      outcome = "aborted";
    } catch (AssertionFailedError e) {
      outcome = "failed " + e.getMessage();
    } catch (Exception e) {
      outcome = "error " + e;
    }
    System.out.println("OUTCOME " + outcome);
  }
}
