package io.tally.analytics.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tally migrate}: applies the database migrations (wired when the PostgreSQL adapter lands). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply database migrations to DATABASE_URL (or the embedded database under DATA_DIR).")
final class MigrateCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    parent.config();
    spec.commandLine().getErr().println("tally migrate: not wired yet (needs the PostgreSQL adapter)");
    return 1;
  }
}
