package io.tally.analytics.core.percentile;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.tally.analytics.core.TallyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * An immutable, mergeable latency distribution (DDSketch) with relative accuracy {@value #RELATIVE_ACCURACY}:
 * every quantile it answers lies within 1% of a sample value at that rank.
 *
 * <p>The store is bounded to {@value #MAX_BINS} bins and collapses the lowest bins when full. At 1% accuracy a
 * bin spans about 2%, so 2048 bins cover ratios beyond 10^17 between the smallest and the largest latency —
 * collapsing never happens for millisecond latencies, yet a hostile input cannot grow a sketch without bound.
 *
 * <p>Equality compares content (count, zero count and every bin), not history: two sketches built from the
 * same samples in any order and by any merge tree are equal. This is what lets {@code UsageRollup} be a record
 * whose {@code merge} is tested for associativity and commutativity.
 */
public final class LatencySketch {
  /** Relative accuracy of every quantile, as stated by the reliability API. */
  public static final double RELATIVE_ACCURACY = 0.01;
  /** Upper bound of bins per store. */
  public static final int MAX_BINS = 2048;

  private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);
  private static final Supplier<Store> STORE = () -> new CollapsingLowestDenseStore(MAX_BINS);
  private static final LatencySketch EMPTY = new LatencySketch(newSketch());

  private final DDSketch sketch;

  private LatencySketch(DDSketch sketch) {
    this.sketch = sketch;
  }

  /** @return the sketch of no samples */
  public static LatencySketch empty() {
    return EMPTY;
  }

  /**
   * @param latencyMs one sample, {@code >= 0}
   * @return a sketch holding just that sample
   */
  public static LatencySketch of(long latencyMs) {
    return builder().add(latencyMs).build();
  }

  /** @return a builder that accumulates many samples without copying per sample */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param latencyMs one more sample, {@code >= 0}
   * @return a new sketch with the sample added (this one is unchanged)
   */
  public LatencySketch add(long latencyMs) {
    return builder().merge(this).add(latencyMs).build();
  }

  /**
   * @param other another sketch
   * @return a new sketch of both sample sets (neither input changes)
   */
  public LatencySketch merge(LatencySketch other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return builder().merge(this).merge(other).build();
  }

  /** @return number of samples */
  public long count() {
    return Math.round(sketch.getCount());
  }

  /** @return true when no sample was added */
  public boolean isEmpty() {
    return sketch.isEmpty();
  }

  /**
   * @param q quantile in [0, 1]
   * @return the estimated latency at that quantile, in ms
   * @throws TallyException {@code sketch.empty} when there are no samples
   */
  public double quantile(double q) {
    if (!(q >= 0.0 && q <= 1.0)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
    }
    if (isEmpty()) {
      throw new TallyException(TallyException.Kind.FAULT, "sketch.empty", "no latency samples");
    }
    return sketch.getValueAtQuantile(q);
  }

  /** @return the compact DDSketch encoding, for storage; {@link #fromBytes(byte[])} reads it back */
  public byte[] toBytes() {
    GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
    try {
      sketch.encode(out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.trimmedCopy();
  }

  /**
   * @param bytes output of {@link #toBytes()}
   * @return the sketch
   * @throws TallyException {@code sketch.corrupt} when the bytes are not a sketch of this accuracy
   */
  public static LatencySketch fromBytes(byte[] bytes) {
    DDSketch decoded;
    try {
      decoded = DDSketch.decode(ByteArrayInput.wrap(bytes), STORE);
    } catch (IOException | RuntimeException e) {
      throw new TallyException(TallyException.Kind.FAULT, "sketch.corrupt",
          "stored latency sketch cannot be decoded", e);
    }
    if (!MAPPING.equals(decoded.getIndexMapping())) {
      throw new TallyException(TallyException.Kind.FAULT, "sketch.corrupt",
          "stored latency sketch has a different accuracy");
    }
    return new LatencySketch(decoded);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LatencySketch other)) {
      return false;
    }
    return sketch.getCount() == other.sketch.getCount()
        && bins(sketch.getPositiveValueStore()).equals(bins(other.sketch.getPositiveValueStore()))
        && bins(sketch.getNegativeValueStore()).equals(bins(other.sketch.getNegativeValueStore()));
  }

  @Override
  public int hashCode() {
    return Double.hashCode(sketch.getCount()) * 31 + bins(sketch.getPositiveValueStore()).hashCode();
  }

  @Override
  public String toString() {
    return isEmpty() ? "LatencySketch[count=0]"
        : "LatencySketch[count=" + count() + ", p50=" + quantile(0.5) + ", p99=" + quantile(0.99) + "]";
  }

  private static List<Bin> bins(Store store) {
    return store.getAscendingStream().filter(b -> b.getCount() != 0).toList();
  }

  private static DDSketch newSketch() {
    return new DDSketch(MAPPING, STORE);
  }

  /** Accumulates samples and sketches into one new {@link LatencySketch}; not thread-safe, single use. */
  public static final class Builder {
    private DDSketch sketch = newSketch();

    private Builder() {}

    /**
     * @param latencyMs sample, {@code >= 0}
     * @return this
     */
    public Builder add(long latencyMs) {
      if (latencyMs < 0) {
        throw new IllegalArgumentException("latency must be >= 0");
      }
      sketch.accept(latencyMs);
      return this;
    }

    /**
     * Adds {@code count} samples of one value at once: the sketch equals the one built by adding it
     * {@code count} times (bins hold counts), so a store may count equal latencies before they get here.
     *
     * @param latencyMs sample, {@code >= 0}
     * @param count how many samples had that value, {@code >= 1}; exact up to 2^53 per bin
     * @return this
     */
    public Builder add(long latencyMs, long count) {
      if (latencyMs < 0) {
        throw new IllegalArgumentException("latency must be >= 0");
      }
      if (count < 1) {
        throw new IllegalArgumentException("count must be >= 1");
      }
      sketch.accept(latencyMs, count);
      return this;
    }

    /**
     * @param other sketch whose samples to include
     * @return this
     */
    public Builder merge(LatencySketch other) {
      sketch.mergeWith(other.sketch);
      return this;
    }

    /** @return the sketch; the builder must not be used afterwards */
    public LatencySketch build() {
      LatencySketch result = new LatencySketch(sketch);
      sketch = null;
      return result;
    }
  }
}
