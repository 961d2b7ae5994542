package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.view.MetricType;

/**
 * {@code distinct}: the number of distinct values of a field, exact up to
 * {@value #EXACT_LIMIT} distinct values, an Apache DataSketches HyperLogLog estimate above.
 *
 * <p>Each value is hashed once to 64 bits (MurmurHash3 of its canonical text's UTF-8 bytes,
 * {@link FieldValues#canonical}, so {@code 7} and {@code "7"} are one value). The state is:
 * <ul>
 *   <li>while at most {@value #EXACT_LIMIT} distinct hashes were seen, their sorted set: the
 *       answer is its size, exact but for a 64-bit collision (under 10^-13 at the limit), and
 *       equal sets write equal bytes whatever the order of updates and merges;
 *   <li>past the limit, an HLL sketch ({@code lgK = 12}: 4,096 registers of 8 bits) fed with the
 *       hashes (the set's hashes in sorted order, at the switch): the answer is its composite
 *       estimate, which depends only on the registers, never on the order of updates and
 *       merges; and it is written in a form that depends only on the registers too
 *       ({@link #canonicalBytes}), so any grouping of the same values writes the same bytes. Relative standard error about {@code 1.04 / sqrt(4096)} = 1.6%: 95% of
 *       estimates within 3.3%, 99.7% within 4.9% of the true count;
 *   <li>always, the number of values added (events carrying the field in the row): the answer
 *       never exceeds it.
 * </ul>
 * Both parts are monoids and merge with {@link #merge}. A state written by earlier versions
 * (a sketch fed with the text itself, no value count) still reads, as a sketch with an
 * unknown count; merged with a newer state its estimate may count a value present in both twice.
 */
public final class DistinctState extends MetricState {
  /** log2 of the number of HLL registers; fixed so every layer's sketches merge losslessly. */
  public static final int LG_K = 12;
  /** Up to this many distinct values the answer is exact. */
  public static final int EXACT_LIMIT = 1024;
  /**
   * The relative standard error of an estimate once the state is a sketch: {@code 1.04 /
   * sqrt(2^LG_K)}, about 1.6%. Tolerances on sketch answers (the reconciliation of the speed
   * layer with the batch) are multiples of it.
   */
  public static final double RELATIVE_STANDARD_ERROR = 1.04 / Math.sqrt(1 << LG_K);
  private static final TgtHllType TYPE = TgtHllType.HLL_8;
  private static final long HASH_SEED = 0x4c616d626461L;
  /** The first int of a body in this format; earlier bodies began with the sketch's length (>= 0). */
  private static final int FORMAT_2 = -2;
  private static final long[] NO_HASHES = new long[0];

  private long[] exact = NO_HASHES; // sorted distinct hashes; null past the limit
  private int exactSize;
  private HllSketch sketch; // only past the limit
  private long values; // non-null values added; -1: unknown (a state of the earlier format)

  public DistinctState() {}

  private DistinctState(long[] exact, int exactSize, HllSketch sketch, long values) {
    this.exact = exact;
    this.exactSize = exactSize;
    this.sketch = sketch;
    this.values = values;
  }

  @Override
  public MetricType type() {
    return MetricType.DISTINCT;
  }

  /** The bytes hashed for the empty text: 0xFF never occurs in UTF-8, so no text shares them. */
  private static final byte[] EMPTY_TEXT = {(byte) 0xFF};

  /** The 64-bit hash of a value's canonical text (the empty text is a value too). */
  static long hash(String canonicalText) {
    byte[] utf8 = canonicalText.isEmpty() ? EMPTY_TEXT : canonicalText.getBytes(StandardCharsets.UTF_8);
    return MurmurHash3.hash(utf8, HASH_SEED)[0];
  }

  @Override
  public boolean add(Object value) {
    String text = FieldValues.canonical(value);
    if (text == null) {
      return true;
    }
    long h = hash(text);
    if (values >= 0) {
      values++;
    }
    if (exact == null) {
      sketch.update(h);
    } else {
      insert(h);
    }
    return true;
  }

  private void insert(long hash) {
    int at = Arrays.binarySearch(exact, 0, exactSize, hash);
    if (at >= 0) {
      return;
    }
    int pos = -at - 1;
    if (exactSize == exact.length) {
      exact = Arrays.copyOf(exact, Math.max(4, exactSize * 2));
    }
    System.arraycopy(exact, pos, exact, pos + 1, exactSize - pos);
    exact[pos] = hash;
    exactSize++;
    if (exactSize > EXACT_LIMIT) {
      toSketch();
    }
  }

  /** Past the limit: the set's hashes, in sorted order, become a sketch. */
  private void toSketch() {
    sketch = sketchOf(exact, exactSize);
    exact = null;
    exactSize = 0;
  }

  private static HllSketch sketchOf(long[] hashes, int n) {
    HllSketch s = new HllSketch(LG_K, TYPE);
    for (int i = 0; i < n; i++) {
      s.update(hashes[i]);
    }
    return s;
  }

  @Override
  public void merge(MetricState other) {
    DistinctState o = (DistinctState) other;
    if (o.isEmpty()) {
      return;
    }
    values = values < 0 || o.values < 0 ? -1 : values + o.values;
    if (exact != null && o.exact != null) {
      mergeExact(o.exact, o.exactSize);
      return;
    }
    HllSketch mine = exact != null ? sketchOf(exact, exactSize) : sketch;
    HllSketch theirs = o.exact != null ? sketchOf(o.exact, o.exactSize) : o.sketch;
    Union union = new Union(LG_K);
    union.update(mine);
    union.update(theirs);
    sketch = union.getResult(TYPE);
    exact = null;
    exactSize = 0;
  }

  private boolean isEmpty() {
    return exact != null && exactSize == 0;
  }

  private void mergeExact(long[] other, int otherSize) {
    long[] merged = new long[exactSize + otherSize];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < exactSize || j < otherSize) {
      if (j >= otherSize || (i < exactSize && exact[i] < other[j])) {
        merged[n++] = exact[i++];
      } else if (i >= exactSize || other[j] < exact[i]) {
        merged[n++] = other[j++];
      } else {
        merged[n++] = exact[i++];
        j++;
      }
    }
    exact = merged;
    exactSize = n;
    if (n > EXACT_LIMIT) {
      toSketch();
    }
  }

  @Override
  public MetricState copy() {
    return new DistinctState(exact == null ? null : Arrays.copyOf(exact, Math.max(exactSize, 1)), exactSize,
        sketch == null ? null : sketch.copy(), values);
  }

  /**
   * Writes, for an empty state, a single 0 (as the earlier format did); else {@code -2}, the
   * number of values, then either the exact set (its size and the sorted hashes) or -1 and the
   * sketch's compact bytes (its size first).
   */
  @Override
  public void write(DataOutput out) throws IOException {
    if (isEmpty()) {
      out.writeInt(0);
      return;
    }
    out.writeInt(FORMAT_2);
    out.writeLong(values);
    if (exact != null) {
      out.writeInt(exactSize);
      for (int i = 0; i < exactSize; i++) {
        out.writeLong(exact[i]);
      }
      return;
    }
    out.writeInt(-1);
    byte[] bytes = canonicalBytes(sketch);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * The sketch's compact image in a form that depends on its registers alone. A sketch's image
   * also holds estimator state that follows how it was built (the HIP accumulator of a sketch fed
   * in order, the out-of-order flag and register minimum a union leaves), so equal registers
   * reached by different groupings of the same values would write different bytes. A union of
   * the sketch with itself keeps the registers and rebuilds that state from them alone, so every
   * grouping writes one image: the partial rows of an epoch are the same bytes whether one
   * process folded its events or several map tasks did. The answer never used that state: it is
   * the composite estimate, a function of the registers.
   */
  static byte[] canonicalBytes(HllSketch sketch) {
    Union union = new Union(LG_K);
    union.update(sketch);
    union.update(sketch);
    return union.getResult(TYPE).toCompactByteArray();
  }

  static DistinctState readBody(DataInput in) throws IOException {
    int first = in.readInt();
    if (first == 0) {
      return new DistinctState();
    }
    if (first > 0) {
      // The earlier format: a sketch alone, fed with the values' text.
      return new DistinctState(null, 0, readSketch(in, first), -1);
    }
    if (first != FORMAT_2) {
      throw new IOException("bad distinct state marker " + first);
    }
    long values = in.readLong();
    if (values < -1) {
      throw new IOException("bad distinct value count " + values);
    }
    int n = in.readInt();
    if (n < -1 || n > EXACT_LIMIT) {
      throw new IOException("bad distinct exact set size " + n);
    }
    if (n == -1) {
      return new DistinctState(null, 0, readSketch(in, in.readInt()), values);
    }
    long[] exact = new long[Math.max(n, 1)];
    for (int i = 0; i < n; i++) {
      exact[i] = in.readLong();
      if (i > 0 && exact[i] <= exact[i - 1]) {
        throw new IOException("distinct exact set out of order at " + i);
      }
    }
    if (values >= 0 && values < n) {
      throw new IOException("distinct state with " + n + " values but a count of " + values);
    }
    return new DistinctState(exact, n, null, values);
  }

  private static HllSketch readSketch(DataInput in, int n) throws IOException {
    if (n <= 0 || n > HllSketch.getMaxUpdatableSerializationBytes(LG_K, TYPE)) {
      throw new IOException("bad distinct sketch length " + n);
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    try {
      HllSketch s = HllSketch.heapify(bytes);
      if (s.getLgConfigK() != LG_K) {
        throw new IOException("distinct sketch with lgK " + s.getLgConfigK() + ", expected " + LG_K);
      }
      return s;
    } catch (SketchesException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("corrupt distinct sketch: " + e.getMessage(), e);
    }
  }

  /** True while the answer is exact (at most {@value #EXACT_LIMIT} distinct values seen). */
  public boolean isExact() {
    return exact != null;
  }

  /** The number of values added (events carrying the field), or -1 when unknown. */
  public long valueCount() {
    return values;
  }

  /** The answer before rounding: the exact count, else the sketch's estimate capped by the values. */
  public double estimate() {
    if (exact != null) {
      return exactSize;
    }
    double e = sketch.getCompositeEstimate();
    return values >= 0 ? Math.min(e, values) : e;
  }

  @Override
  public Number result() {
    return Math.round(estimate());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistinctState d && d.values == values && d.isExact() == isExact() && d.estimate() == estimate()
        && (exact == null || Arrays.equals(exact, 0, exactSize, d.exact, 0, d.exactSize));
  }

  @Override
  public int hashCode() {
    return Double.hashCode(estimate());
  }
}
