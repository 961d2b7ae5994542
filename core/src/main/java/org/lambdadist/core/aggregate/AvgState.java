package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.lambdadist.core.view.MetricType;

/**
 * {@code avg}: an exact sum and a count of values, so averages merge exactly; renders as
 * {@code sum / count} rounded once to a double, or null over no values.
 */
public final class AvgState extends MetricState {
  private final ExactSum sum;
  private long count;

  public AvgState() {
    this(new ExactSum(), 0);
  }

  private AvgState(ExactSum sum, long count) {
    this.sum = sum;
    this.count = count;
  }

  @Override
  public MetricType type() {
    return MetricType.AVG;
  }

  @Override
  public boolean add(Object value) {
    if (value == null) {
      return true;
    }
    if (!SumState.addNumber(sum, value)) {
      return false;
    }
    count++;
    return true;
  }

  @Override
  public void merge(MetricState other) {
    AvgState o = (AvgState) other;
    sum.add(o.sum);
    count += o.count;
  }

  @Override
  public MetricState copy() {
    return new AvgState(sum.copy(), count);
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(count);
    sum.write(out);
  }

  static AvgState readBody(DataInput in) throws IOException {
    long count = in.readLong();
    if (count < 0) {
      throw new IOException("negative count " + count);
    }
    return new AvgState(ExactSum.read(in), count);
  }

  public long count() {
    return count;
  }

  @Override
  public Number result() {
    if (count == 0) {
      return null;
    }
    return sum.dividedBy(count);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvgState a && a.count == count && a.sum.equals(sum);
  }

  @Override
  public int hashCode() {
    return 31 * sum.hashCode() + Long.hashCode(count);
  }
}
