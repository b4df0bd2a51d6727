package io.tally.analytics.ports.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test does when a local service it needs (PostgreSQL, Redis, the RabbitMQ stream port) does
 * not answer: it says so on stderr, always, then fails under {@code CI=true} and is skipped elsewhere. Before
 * issue 8 the skip was silent, and a class whose service was down simply vanished from the run ({@code Tests run:
 * 0}, {@code BUILD SUCCESS}). {@code scripts/test} starts the services itself and exports {@code CI=true}, so there
 * an unreachable service is a broken run.
 */
public final class RequiredService {
  private RequiredService() {}

  /** @return true when the environment says {@code CI=true} */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Reports an unreachable service and ends the test: a failure under CI, a skip elsewhere. Never returns.
   *
   * @param service what was asked for, with its address, for example {@code PostgreSQL at 127.0.0.1:5432}
   * @param cause why it did not answer
   * @return nothing; declared so callers can write {@code throw RequiredService.unreachable(...)}
   */
  public static AssertionError unreachable(String service, Throwable cause) {
    String message = service + " is unreachable (" + cause + "); run scripts/services to start it";
    System.err.println("[tally-test] " + message + (underCi() ? " [CI=true: failing]" : " [skipping; set CI=true"
        + " to fail instead]"));
    if (underCi()) {
      Assertions.fail(message + "; under CI=true a missing service is a failure", cause);
    }
    Assumptions.abort(message + "; skipped outside CI");
    return new AssertionError(message);
  }
}
