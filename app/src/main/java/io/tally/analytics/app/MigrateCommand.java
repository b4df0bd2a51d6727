package io.tally.analytics.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tally migrate}: applies the database migrations (idempotent; prints how many it applied). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply database migrations to DATABASE_URL (or the embedded database under DATA_DIR).")
final class MigrateCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    TallyConfig config = parent.config();
    try (Database db = Database.open(config)) {
      int applied = db.migrate();
      spec.commandLine().getOut().println("MIGRATE applied=" + applied + " database=" + db.describe(config));
    }
    return 0;
  }
}
