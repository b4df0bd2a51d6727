package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import java.util.function.Supplier;

/**
 * Turns a store client's failure into {@value AnalyticsStoreProvider#BACKEND_ERROR} (503, retryable). The client
 * message is not passed on: vendor messages can carry endpoints, request signatures or account names; the
 * message names the backend and the operation only, and the original stays the cause for logs.
 */
public final class BackendFailures {
  private BackendFailures() {}

  /**
   * @param backend wire name
   * @param operation what was attempted, for the message
   * @param call the client call
   * @return its result
   */
  public static <T> T call(String backend, String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (TallyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(backend, operation, e);
    }
  }

  /** @return the backend error for {@code cause} */
  public static TallyException failure(String backend, String operation, Throwable cause) {
    return new TallyException(TallyException.Kind.UNAVAILABLE, AnalyticsStoreProvider.BACKEND_ERROR, "The " + backend
        + " analytics store failed during " + operation + "; retry later.", cause);
  }
}
