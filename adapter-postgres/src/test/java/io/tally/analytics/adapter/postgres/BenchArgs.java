package io.tally.analytics.adapter.postgres;

/** {@code --name value} arguments of the benchmark mains (here and in the app module). */
public final class BenchArgs {
  private BenchArgs() {}

  /** @return the value after {@code name} as a number ({@code 1_000_000} allowed), or the fallback */
  public static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)).replace("_", ""));
  }

  /** @return the value after {@code name}, or the fallback */
  public static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
