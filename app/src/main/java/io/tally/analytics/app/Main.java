package io.tally.analytics.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Process entry point: {@code java io.tally.analytics.app.Main <command>} (what {@code scripts/tally} runs). */
public final class Main {
  private Main() {}

  /** @param args command and options */
  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("serve")) {
      // Before the first logger exists: stdout of migrate/seed/verify is their result, logs go to stderr.
      System.setProperty("tally.log.target", "System.err");
    }
    System.setProperty("tally.log.format", LogFormat.choose(System.getenv("LOG_FORMAT"), System.console() != null));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(TallyCli.commandLine(System.getenv(), out, err).execute(args));
  }
}
