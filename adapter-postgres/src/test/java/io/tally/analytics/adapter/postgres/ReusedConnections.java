package io.tally.analytics.adapter.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A minimal connection pool for benchmarks: Jdbi over a plain data source opens a new server process per
 * call, which would dominate a millisecond query. Connections are kept and handed out again; never closed.
 */
final class ReusedConnections implements ConnectionFactory {
  private final DataSource dataSource;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  ReusedConnections(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Connection openConnection() throws SQLException {
    Connection c = idle.poll();
    return c != null ? c : dataSource.getConnection();
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.rollback();
      connection.setAutoCommit(true);
    }
    idle.add(connection);
  }
}
