package io.tally.analytics.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Process entry point: {@code java io.tally.analytics.app.Main <command>} (what {@code scripts/tally} runs). */
public final class Main {
  private Main() {}

  /** @param args command and options */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(TallyCli.commandLine(System.getenv(), out, err).execute(args));
  }
}
