package io.tally.analytics.app;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.ManagePrices.PriceChangeReport;
import io.tally.analytics.ports.in.ManagePrices.PutPrices;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tally prices list|import}: the price book from the command line, against the database of the
 * configuration (the server's own {@code DATABASE_URL}; a running server re-prices within its next rollup runs).
 * Every change goes through the same use case as the API, audited with before and after under the actor
 * {@code cli:$USER}.
 */
@Command(name = "prices", mixinStandardHelpOptions = true,
    description = "List or import model prices (micro-units per 1M tokens).",
    subcommands = {PricesCommand.ListPrices.class, PricesCommand.ImportPrices.class})
final class PricesCommand implements Runnable {
  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Actor actor() {
    return new Actor("cli:" + parent.env().getOrDefault("USER", "unknown"), Set.of("admin"), Set.of(), Set.of(), true);
  }

  /** {@code tally prices list [--model M]}: one line per entry. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the price book.")
  static final class ListPrices implements Callable<Integer> {
    @ParentCommand
    PricesCommand prices;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Only this model.")
    Optional<String> model;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (TallyServices services = TallyServices.open(prices.parent.config(), TallyApplication.WALL_CLOCK)) {
        out.println("model_id,effective_from,input_micros_per_1m,output_micros_per_1m,org_id,source,recorded_at");
        for (PriceEntry e : services.prices().list(prices.actor(), model)) {
          ModelPrice p = e.price();
          out.println(String.join(",", p.modelId(), p.effectiveFrom().toString(),
              Long.toString(p.inputMicrosPerMillionTokens()), Long.toString(p.outputMicrosPerMillionTokens()),
              p.orgId().map(UUID::toString).orElse(""), e.source(), e.recordedAt().toString()));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code tally prices import FILE [--format csv|litellm] [--effective-from T] [--dry-run]}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Add or correct prices from a CSV (" + PriceFile.CSV_HEADER + "[,org_id]) or a LiteLLM price "
          + "map (JSON, USD per token). The hours a change affects are re-priced by the rollup.")
  static final class ImportPrices implements Callable<Integer> {
    @ParentCommand
    PricesCommand prices;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The price file.")
    Path file;

    @Option(names = "--format", description = "csv or litellm (default: litellm for *.json, else csv).")
    Optional<PriceFile.Format> format;

    @Option(names = "--effective-from", defaultValue = "1970-01-01T00:00:00Z",
        description = "LiteLLM entries apply from this instant on (default ${DEFAULT-VALUE}: all usage so far).")
    Instant effectiveFrom;

    @Option(names = "--dry-run", description = "Show what would change and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isRegularFile(file)) {
        err.println("tally prices import: no such file: " + file);
        return 2;
      }
      PriceFile read = PriceFile.read(file, format.orElseGet(() -> PriceFile.guess(file)), effectiveFrom);
      read.skipped().forEach(s -> out.println("skip " + s));
      try (TallyServices services = TallyServices.open(prices.parent.config(), TallyApplication.WALL_CLOCK)) {
        PriceChangeReport report = services.prices().put(new PutPrices(prices.actor(), read.prices(), read.source(),
            dryRun));
        report.changes().forEach(c -> out.println((dryRun ? "would " : "") + describe(c)));
        out.printf("PRICES read=%d changed=%d unchanged=%d skipped=%d rounded=%d hours_repriced=%d dry_run=%s"
                + " source=%s%n", read.prices().size(), report.changes().size(), report.unchanged(),
            read.skipped().size(), read.rounded(), report.hoursMarked(), dryRun, read.source());
      }
      out.flush();
      return 0;
    }

    private static String describe(PriceChange c) {
      String key = c.key().modelId() + c.key().orgId().map(o -> " org " + o).orElse("") + " from "
          + c.key().effectiveFrom();
      String after = c.after().map(a -> a.price().inputMicrosPerMillionTokens() + "/"
          + a.price().outputMicrosPerMillionTokens()).orElse("none");
      return c.before().map(b -> "change " + key + ": " + b.price().inputMicrosPerMillionTokens() + "/"
          + b.price().outputMicrosPerMillionTokens() + " -> " + after).orElse("add " + key + ": " + after);
    }
  }
}
