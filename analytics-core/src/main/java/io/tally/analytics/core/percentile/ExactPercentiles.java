package io.tally.analytics.core.percentile;

import java.util.Arrays;

/**
 * Exact percentiles with PostgreSQL {@code percentile_cont} semantics: sort the samples, take the rank
 * {@code q * (n - 1)} and interpolate linearly between the two samples around it.
 */
public final class ExactPercentiles {
  private ExactPercentiles() {}

  /**
   * @param values the samples (not modified), at least one
   * @param q quantile in [0, 1]
   * @return the interpolated percentile
   */
  public static double percentileCont(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return percentileContSorted(sorted, q);
  }

  /**
   * @param sorted samples in ascending order, at least one
   * @param q quantile in [0, 1]
   * @return the interpolated percentile
   */
  public static double percentileContSorted(long[] sorted, double q) {
    Bracket bracket = bracketSorted(sorted, q);
    return bracket.lower() + bracket.fraction() * (bracket.upper() - bracket.lower());
  }

  /**
   * @param sorted samples in ascending order, at least one
   * @param q quantile in [0, 1]
   * @return the two samples {@code percentile_cont} interpolates between, and the weight of the upper one
   */
  public static Bracket bracketSorted(long[] sorted, double q) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (!(q >= 0.0 && q <= 1.0)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
    }
    double rank = q * (sorted.length - 1);
    int lowerIndex = (int) Math.floor(rank);
    int upperIndex = (int) Math.ceil(rank);
    return new Bracket(sorted[lowerIndex], sorted[upperIndex], rank - lowerIndex);
  }

  /**
   * The two samples around a rank.
   *
   * @param lower sample at floor(rank)
   * @param upper sample at ceil(rank)
   * @param fraction rank minus floor(rank), the weight of {@code upper}
   */
  public record Bracket(long lower, long upper, double fraction) {}
}
