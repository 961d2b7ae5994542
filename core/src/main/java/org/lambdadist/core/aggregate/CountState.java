package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.lambdadist.core.view.MetricType;

/** {@code count}: how many events had a (non-null) value; the caller passes TRUE for "count all". */
public final class CountState extends MetricState {
  private long count;

  @Override
  public MetricType type() {
    return MetricType.COUNT;
  }

  @Override
  public boolean add(Object value) {
    if (value != null) {
      count++;
    }
    return true;
  }

  @Override
  public void merge(MetricState other) {
    count += ((CountState) other).count;
  }

  @Override
  public MetricState copy() {
    CountState c = new CountState();
    c.count = count;
    return c;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(count);
  }

  static CountState readBody(DataInput in) throws IOException {
    CountState c = new CountState();
    c.count = in.readLong();
    if (c.count < 0) {
      throw new IOException("negative count " + c.count);
    }
    return c;
  }

  public long count() {
    return count;
  }

  @Override
  public Number result() {
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CountState c && c.count == count;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count);
  }
}
