package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.TallyException;

/** An infrastructure fault in the PostgreSQL adapter (connection, SQL, COPY); never an expected outcome. */
final class PostgresAdapterException extends TallyException {

  private static final long serialVersionUID = 1L;

  public PostgresAdapterException(String message, Throwable cause) {
    super(Kind.FAULT, "store.postgres_failure", message, cause);
  }
}
