package io.tally.analytics.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally seed}: publishes synthetic usage events. Its last line is
 * {@code SEED published=N unique_valid=U duplicates=D invalid=I}. The generator is wired when the ingest use
 * case lands.
 */
@Command(name = "seed", mixinStandardHelpOptions = true, description = "Generate synthetic usage events.")
final class SeedCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--orgs", defaultValue = "3", description = "Organisations (default ${DEFAULT-VALUE}).")
  int orgs;

  @Option(names = "--models", defaultValue = "4", description = "Models (default ${DEFAULT-VALUE}).")
  int models;

  @Option(names = "--events", defaultValue = "10000", description = "Events to publish (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--days", defaultValue = "7", description = "Days of history, ending now (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--duplicate-rate", defaultValue = "0.01", description = "Share of re-sent events.")
  double duplicateRate;

  @Option(names = "--invalid-rate", defaultValue = "0.005", description = "Share of invalid events.")
  double invalidRate;

  @Option(names = "--to-stream", description = "Publish to RABBITMQ_STREAM instead of the database.")
  boolean toStream;

  @Option(names = "--random-seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long randomSeed;

  @Override
  public Integer call() {
    parent.config();
    if (orgs < 1 || models < 1 || events < 0 || days < 1 || !isRate(duplicateRate) || !isRate(invalidRate)) {
      spec.commandLine().getErr().println("tally seed: --orgs, --models, --days must be >= 1, --events >= 0, "
          + "rates within 0..1");
      return 2;
    }
    spec.commandLine().getErr().println("tally seed: not wired yet (needs the ingest use case)");
    return 1;
  }

  private static boolean isRate(double rate) {
    return rate >= 0 && rate <= 1;
  }
}
