package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import java.sql.Connection;
import java.sql.SQLException;

// Jackson is not on app's test classpath, so JDBC stands in for "a framework type in core".
@Planted("core uses an infrastructure library: java.sql")
public class JdbcLeak {
  public boolean isOpen(Connection connection) throws SQLException {
    return !connection.isClosed();
  }
}
