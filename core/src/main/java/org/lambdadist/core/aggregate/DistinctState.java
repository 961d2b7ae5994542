package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.hll.Union;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.view.MetricType;

/**
 * {@code distinct}: an estimate of the number of distinct values of a field, as an Apache
 * DataSketches HyperLogLog sketch (a {@link Union} with {@code lgK = 12}, 4,096 registers).
 *
 * <p>Error bound: the relative standard error is about {@code 1.04 / sqrt(4096)} = 1.6%, so
 * 95% of estimates are within 3.3% and 99.7% within 4.9% of the true count. Below a few
 * hundred values the sketch keeps exact hashed coupons and the estimate is practically exact.
 * Values compare by their canonical text ({@link FieldValues#canonical}), so {@code 7} and
 * {@code "7"} are one value. The rendered value is the composite estimate rounded to an
 * integer; it depends only on the set of values seen, not on the merge order.
 */
public final class DistinctState extends MetricState {
  /** log2 of the number of HLL registers; fixed so every layer's sketches merge losslessly. */
  public static final int LG_K = 12;

  private final Union union;

  public DistinctState() {
    this(new Union(LG_K));
  }

  private DistinctState(Union union) {
    this.union = union;
  }

  @Override
  public MetricType type() {
    return MetricType.DISTINCT;
  }

  @Override
  public boolean add(Object value) {
    String text = FieldValues.canonical(value);
    if (text != null) {
      union.update(text);
    }
    return true;
  }

  @Override
  public void merge(MetricState other) {
    Union o = ((DistinctState) other).union;
    if (!o.isEmpty()) {
      union.update(o.getResult());
    }
  }

  @Override
  public MetricState copy() {
    Union u = new Union(LG_K);
    if (!union.isEmpty()) {
      u.update(union.getResult());
    }
    return new DistinctState(u);
  }

  @Override
  public void write(DataOutput out) throws IOException {
    byte[] bytes = union.toCompactByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static DistinctState readBody(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 1 || n > Union.getMaxSerializationBytes(LG_K)) {
      throw new IOException("bad distinct sketch length " + n);
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    try {
      return new DistinctState(Union.heapify(bytes));
    } catch (SketchesException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("corrupt distinct sketch: " + e.getMessage(), e);
    }
  }

  /** The estimate before rounding. */
  public double estimate() {
    return union.getCompositeEstimate();
  }

  @Override
  public Number result() {
    return Math.round(union.getCompositeEstimate());
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
