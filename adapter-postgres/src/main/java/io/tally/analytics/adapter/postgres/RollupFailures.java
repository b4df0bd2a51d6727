package io.tally.analytics.adapter.postgres;

import io.tally.analytics.ports.out.RollupHourException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sorts a failed rollup refresh into the two kinds the rollup use case treats differently: a failure of the data
 * of the hours it covered ({@link RollupHourException}: the hours get quarantined, the others go on) or of the
 * database itself ({@link PostgresAdapterException}: the run ends, nothing is quarantined, the next run retries).
 *
 * <p>Data failures are SQLSTATE classes 22 (data exception: a sum out of range) and 23 (integrity), and any
 * failure of the Java computation (an overflow, a corrupt sketch). Everything else (connection classes 08, 53,
 * 57, serialization 40, a missing table) is the database's.
 */
final class RollupFailures {
  private RollupFailures() {}

  static RuntimeException classify(RuntimeException failure) {
    Optional<SQLException> sql = sqlCause(failure);
    if (sql.isEmpty()) {
      return failure instanceof PostgresAdapterException || failure instanceof RollupHourException ? failure
          : new RollupHourException(failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
    }
    SQLException e = sql.get();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean transientFault = e instanceof SQLTransientException || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException;
    if (!transientFault && (state.startsWith("22") || state.startsWith("23"))) {
      return new RollupHourException("SQLSTATE " + state + ": " + serverMessage(e), failure);
    }
    return failure instanceof PostgresAdapterException ? failure
        : new PostgresAdapterException("rollup refresh failed: SQLSTATE " + state, failure);
  }

  /** The server's own one-line message (never the statement or its parameters). */
  private static String serverMessage(SQLException e) {
    if (e instanceof PSQLException psql) {
      ServerErrorMessage server = psql.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage();
      }
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Optional<SQLException> sqlCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return Optional.of(sql);
      }
    }
    return Optional.empty();
  }
}
