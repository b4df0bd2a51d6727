package io.tally.analytics.adapter.postgres;

import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * The boundary where Jdbi's unchecked exceptions become {@link PostgresAdapterException}: callers of the policy
 * stores see one fault type with a stable error code, while expected outcomes stay return values.
 */
final class AdapterFaults {
  private AdapterFaults() {}

  static <T> T translate(String operation, Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw new PostgresAdapterException("PostgreSQL " + operation + " failed: " + e.getMessage(), e);
    }
  }
}
