package io.tally.analytics.app;

import io.tally.analytics.core.TallyException;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tally} command line: {@code serve}, {@code migrate}, {@code seed}, {@code verify}, {@code rollup},
 * {@code smoke}, {@code prices}.
 */
@Command(name = "tally", mixinStandardHelpOptions = true, version = "tally 0.1.0",
    description = "Usage, cost and reliability analytics for AI inference platforms.",
    subcommands = {ServeCommand.class, MigrateCommand.class, SeedCommand.class, VerifyCommand.class,
        RollupCommand.class, SmokeCommand.class, PricesCommand.class})
public final class TallyCli implements Runnable {
  /** Exit code for a configuration error. */
  public static final int EXIT_CONFIG = 2;

  /** Exit code of a command that failed for any reason but its configuration. */
  public static final int EXIT_FAILURE = 1;

  private final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** @param env environment variables the configuration is read from */
  public TallyCli(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** @return the environment the configuration is read from */
  Map<String, String> env() {
    return env;
  }

  /** @return the validated configuration, or a {@link ConfigException} */
  TallyConfig config() {
    return TallyConfig.fromEnvironment(env);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * @param env environment variables
   * @param out standard output
   * @param err standard error
   * @return a configured command line whose configuration errors print one line and exit with {@value #EXIT_CONFIG}
   */
  public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new TallyCli(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException config) {
        commandLine.getErr().println("tally: configuration error: " + config.getMessage());
        commandLine.getErr().flush();
        return EXIT_CONFIG;
      }
      // Anything else that stops a command (the embedded database's directory locked by another server, a
      // database that refuses connections, ...) is one line for the person at the terminal; the stack trace
      // is logged at DEBUG (LOG_LEVEL=DEBUG shows it), since one-shot commands log to the same terminal.
      LoggerFactory.getLogger(TallyCli.class).debug("tally {} failed", commandLine.getCommandName(), e);
      String reason = e instanceof TallyException tally ? tally.errorCode() + ": " + tally.getMessage()
          : e.getClass().getSimpleName() + ": " + e.getMessage();
      commandLine.getErr().println("tally " + commandLine.getCommandName() + ": " + reason);
      commandLine.getErr().flush();
      return EXIT_FAILURE;
    });
    return cli;
  }
}
