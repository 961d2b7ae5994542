package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.view.MetricType;

/**
 * {@code distinct}: an estimate of the number of distinct values of a field, as an Apache
 * DataSketches HyperLogLog sketch ({@code lgK = 12}: 4,096 registers of 8 bits).
 *
 * <p>Error bound: the relative standard error is about {@code 1.04 / sqrt(4096)} = 1.6%, so
 * 95% of estimates are within 3.3% and 99.7% within 4.9% of the true count. Below a few
 * hundred values the sketch keeps exact hashed coupons and the estimate is practically exact.
 * Values compare by their canonical text ({@link FieldValues#canonical}), so {@code 7} and
 * {@code "7"} are one value. The rendered value is the composite estimate rounded to an
 * integer, which depends only on the sketch's registers (the set of values seen), never on
 * the order of updates and merges.
 *
 * <p>Values update the sketch directly (cheap); merges go through a DataSketches
 * {@link Union}, made only when both sides have values.
 */
public final class DistinctState extends MetricState {
  /** log2 of the number of HLL registers; fixed so every layer's sketches merge losslessly. */
  public static final int LG_K = 12;
  private static final TgtHllType TYPE = TgtHllType.HLL_8;

  private HllSketch sketch; // null while empty, so empty rows cost nothing

  public DistinctState() {}

  private DistinctState(HllSketch sketch) {
    this.sketch = sketch;
  }

  @Override
  public MetricType type() {
    return MetricType.DISTINCT;
  }

  @Override
  public boolean add(Object value) {
    String text = FieldValues.canonical(value);
    if (text != null) {
      if (sketch == null) {
        sketch = new HllSketch(LG_K, TYPE);
      }
      sketch.update(text);
    }
    return true;
  }

  @Override
  public void merge(MetricState other) {
    HllSketch o = ((DistinctState) other).sketch;
    if (o == null || o.isEmpty()) {
      return;
    }
    if (sketch == null || sketch.isEmpty()) {
      sketch = o.copy();
      return;
    }
    Union union = new Union(LG_K);
    union.update(sketch);
    union.update(o);
    sketch = union.getResult(TYPE);
  }

  @Override
  public MetricState copy() {
    return new DistinctState(sketch == null ? null : sketch.copy());
  }

  @Override
  public void write(DataOutput out) throws IOException {
    if (sketch == null || sketch.isEmpty()) {
      out.writeInt(0);
      return;
    }
    byte[] bytes = sketch.toCompactByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static DistinctState readBody(DataInput in) throws IOException {
    int n = in.readInt();
    if (n == 0) {
      return new DistinctState();
    }
    if (n < 0 || n > HllSketch.getMaxUpdatableSerializationBytes(LG_K, TYPE)) {
      throw new IOException("bad distinct sketch length " + n);
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    try {
      HllSketch s = HllSketch.heapify(bytes);
      if (s.getLgConfigK() != LG_K) {
        throw new IOException("distinct sketch with lgK " + s.getLgConfigK() + ", expected " + LG_K);
      }
      return new DistinctState(s);
    } catch (SketchesException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("corrupt distinct sketch: " + e.getMessage(), e);
    }
  }

  /** The estimate before rounding. */
  public double estimate() {
    return sketch == null ? 0 : sketch.getCompositeEstimate();
  }

  @Override
  public Number result() {
    return Math.round(estimate());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistinctState d && d.estimate() == estimate();
  }

  @Override
  public int hashCode() {
    return Double.hashCode(estimate());
  }
}
