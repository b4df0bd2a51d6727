package io.tally.analytics.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally verify}: reconciles rollups against raw events and checks the audit hash chain; exits non-zero
 * on drift or a broken chain. Wired when the PostgreSQL adapter and the audit log land.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Reconcile rollups with raw events and verify the audit chain (non-zero exit on failure).")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    parent.config();
    spec.commandLine().getErr().println("tally verify: not wired yet (needs the PostgreSQL adapter)");
    return 1;
  }
}
