package io.tally.analytics.app;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally rollup [--refresh [--org …] [--from …]]}: runs the rollup now until nothing is dirty; with
 * {@code --refresh}, first marks every hour that has raw events (of one organisation, from an instant) dirty, so they
 * are recomputed from the raw events. Safe while {@code serve} runs: refresh steps claim hours with row locks.
 */
@Command(name = "rollup", mixinStandardHelpOptions = true,
    description = "Run the rollup now; --refresh recomputes hours from raw events (prints ROLLUP marked_hours=...).")
final class RollupCommand implements Callable<Integer> {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--refresh", description = "Recompute the hours that have raw events, not only dirty ones.")
  boolean refresh;

  @Option(names = "--org", description = "Only this organisation (UUID); with --refresh.")
  Optional<UUID> org;

  @Option(names = "--from", description = "Only hours from this instant on (RFC 3339); with --refresh.")
  Optional<Instant> from;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!refresh && (org.isPresent() || from.isPresent())) {
      spec.commandLine().getErr().println("tally rollup: --org and --from go with --refresh");
      return 2;
    }
    try (TallyServices services = TallyServices.open(parent.config(), TallyApplication.WALL_CLOCK)) {
      long marked = 0;
      if (refresh) {
        marked = services.rollups().markDirty(org, from);
        out.printf("marked %d hours dirty (%s, from %s)%n", marked, org.map(UUID::toString).orElse("every org"),
            from.map(Instant::toString).orElse("the oldest raw event"));
      }
      long read = RollupDrain.drain(services.rollup());
      out.printf("ROLLUP marked_hours=%d events_read=%d dirty_remaining=%d%n", marked, read,
          services.rollups().dirtyBucketCount());
      out.flush();
      return 0;
    }
  }
}
