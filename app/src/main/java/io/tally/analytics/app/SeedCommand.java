package io.tally.analytics.app;

import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.adapter.rabbitmq.UsageEventPublisher;
import io.tally.analytics.core.TallyException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tally seed}: generates synthetic usage events deterministically, ingests them through the ingest use
 * case in batches, then runs the rollup so that the usage API answers at once. Its last line is
 * {@code SEED published=N unique_valid=U duplicates=D invalid=I}. With {@code --to-stream} it publishes the same
 * events to the usage stream instead, under a named producer so that a re-run resumes where the last one stopped.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
    description = "Generate synthetic usage events for the last --days days and ingest them.")
final class SeedCommand implements Callable<Integer> {
  private static final int BATCH = 1_000;

  @ParentCommand
  TallyCli parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--orgs", defaultValue = "3", description = "Organisations (default ${DEFAULT-VALUE}); org n "
      + "is 00000000-0000-0000-0000-00000000000n.")
  int orgs;

  @Option(names = "--models", defaultValue = "4", description = "Models (default ${DEFAULT-VALUE}).")
  int models;

  @Option(names = "--events", defaultValue = "10000", description = "Events to publish (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--days", defaultValue = "7",
      description = "Days of history ending at the current hour (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--duplicate-rate", defaultValue = "0.01", description = "Share of re-sent events.")
  double duplicateRate;

  @Option(names = "--invalid-rate", defaultValue = "0.005", description = "Share of invalid events.")
  double invalidRate;

  @Option(names = "--without-cost-rate", defaultValue = "0", description = "Share of events sent without "
      + "costMicros, priced by the price book (unpriced until it has a price for the model); 1 sends none.")
  double withoutCostRate;

  @Option(names = "--to-stream", description = "Publish to RABBITMQ_STREAM at RABBITMQ_URL (rabbitmq-stream://) "
      + "instead of the database; a server consuming that stream ingests the events.")
  boolean toStream;

  @Option(names = "--producer-name", defaultValue = "tally-seed", description = "With --to-stream: the broker's "
      + "deduplication key (default ${DEFAULT-VALUE}). A re-run with the same name and seed publishes nothing new.")
  String producerName;

  @Option(names = {"--seed", "--random-seed"}, defaultValue = "42",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long randomSeed;

  @Option(names = "--url", description = "Send to a running server's POST /analytics/v1/events instead of the "
      + "database (trusted-headers mode); waits until its rollup has caught up.")
  java.util.Optional<String> url;

  @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
  boolean progress;

  @Override
  public Integer call() {
    TallyConfig config = parent.config();
    PrintWriter err = spec.commandLine().getErr();
    if (orgs < 1 || models < 1 || events < 0 || days < 1 || days > 3_660 || !isRate(duplicateRate)
        || !isRate(invalidRate) || duplicateRate + invalidRate > 1 || !isRate(withoutCostRate)) {
      err.println("tally seed: --orgs, --models, --days (<= 3660) must be >= 1, --events >= 0, "
          + "rates within 0..1 and together <= 1");
      return 2;
    }
    if (toStream && url.isPresent()) {
      err.println("tally seed: --to-stream and --url are exclusive");
      return 2;
    }
    if (Duration.ofDays(days).compareTo(config.guards().eventTime().maxAge()) > 0) {
      // The events would be generated only to be refused as event.too_old by the event-time window.
      err.println("tally seed: --days " + days + " reaches beyond MAX_EVENT_AGE ("
          + config.guards().eventTime().maxAge().toDays() + " days); lower --days or raise MAX_EVENT_AGE");
      return 2;
    }
    Instant end = TallyApplication.WALL_CLOCK.now().truncatedTo(ChronoUnit.HOURS);
    SyntheticUsage generator = new SyntheticUsage(orgs, models, end.minus(Duration.ofDays(days)),
        Duration.ofDays(days), duplicateRate, invalidRate, randomSeed).withoutCostRate(withoutCostRate);
    long accepted = 0;
    SeedTarget opened;
    try {
      opened = toStream ? openStream(config) : url.<SeedTarget>map(SeedTarget.OverHttp::new)
          .orElseGet(() -> new SeedTarget.Direct(TallyServices.open(config, TallyApplication.WALL_CLOCK)));
    } catch (IllegalStateException e) {
      err.println("tally seed: " + e.getMessage());
      return 1;
    }
    ProgressBar bar = new ProgressBar(err, events, progress || System.console() != null);
    try (SeedTarget target = opened) {
      for (long done = 0; done < events; ) {
        int n = (int) Math.min(BATCH, events - done);
        accepted += target.send(generator.next(n));
        done += n;
        bar.update(done);
      }
      bar.finish();
      target.rollUp(java.util.stream.IntStream.rangeClosed(1, orgs).mapToObj(SyntheticUsage::orgId).toList());
    } catch (IllegalStateException e) {
      err.println("tally seed: " + e.getMessage());
      return 1;
    }
    if (toStream) {
      if (accepted != events) {
        err.println("tally seed: note: " + (events - accepted) + " of " + events + " events were already in the "
            + "stream under producer " + producerName + " (the broker holds them once)");
      }
    } else if (accepted != generator.uniqueValid()) {
      err.println("tally seed: note: " + accepted + " of " + generator.uniqueValid()
          + " unique valid events were new to the database (the rest were already there)");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("SEED published=" + events + " unique_valid=" + generator.uniqueValid() + " duplicates="
        + generator.duplicates() + " invalid=" + generator.invalid());
    out.flush();
    return 0;
  }

  private SeedTarget openStream(TallyConfig config) {
    // The same endpoint serve consumes: a stream URL, or the one derived from an AMQP URL (RABBITMQ_STREAM_PORT).
    String uri = StreamIngestion.streamUrl(config).map(ServiceUrl::value).orElseThrow(() ->
        new IllegalStateException("--to-stream needs RABBITMQ_URL=rabbitmq-stream://host:5552/... or "
            + "amqp://user:pass@host:5672/vhost (got nothing)"));
    StreamSettings settings = StreamSettings.builder().uri(uri).stream(config.services().rabbitmqStream()).build();
    try {
      return new SeedTarget.ToStream(UsageEventPublisher.builder(settings).producerName(producerName)
          .declareStream(true).open());
    } catch (TallyException | IllegalArgumentException e) {
      // The adapter's message already names the (redacted) endpoint.
      throw new IllegalStateException("cannot publish to stream " + settings.stream() + ": " + e.getMessage(), e);
    }
  }

  private static boolean isRate(double rate) {
    return rate >= 0 && rate <= 1;
  }
}
