package io.tally.analytics.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build (from the Maven project version), written into export manifests. */
final class TallyVersion {
  private static final String VERSION = load();

  private TallyVersion() {}

  static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = TallyVersion.class.getResourceAsStream("/tally-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String v = p.getProperty("version", "");
      return v.isBlank() || v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
