package io.tally.analytics.app;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place; silent when disabled (not a terminal). */
final class ProgressBar {
  private static final int WIDTH = 40;

  private final PrintWriter err;
  private final long total;
  private final boolean enabled;
  private int lastPercent = -1;

  ProgressBar(PrintWriter err, long total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled;
  }

  void update(long done) {
    if (!enabled || total == 0) {
      return;
    }
    int percent = (int) (done * 100 / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    int filled = percent * WIDTH / 100;
    err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% " + done + "/" + total);
    err.flush();
  }

  void finish() {
    if (enabled && total > 0) {
      err.println();
      err.flush();
    }
  }
}
