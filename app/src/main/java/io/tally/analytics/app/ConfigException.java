package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;

/**
 * A configuration value that cannot be used. The message is one line naming the variable and what is
 * allowed, because it is what an operator sees when the server refuses to start.
 */
public class ConfigException extends TallyException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  /**
   * @param variable the environment variable at fault
   * @param problem what is wrong and what is allowed, one line
   */
  public ConfigException(String variable, String problem) {
    super(Kind.INVALID, "config.invalid", variable + ": " + problem.replace('\n', ' '));
    this.variable = variable;
  }

  /** @return the environment variable at fault */
  public String variable() {
    return variable;
  }
}
