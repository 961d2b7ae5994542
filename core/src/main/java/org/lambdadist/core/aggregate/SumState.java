package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.view.MetricType;

/**
 * {@code sum}: the exact sum of a numeric field (numbers, or strings holding a number). A
 * number beyond {@link EventLimits}' ceilings is refused (a bad value), so every sum written
 * reads back; the configured, tighter bounds are {@link AggregationTable}'s.
 * Renders as an integer while every value was integral, else as a double; 0 over no values.
 */
public final class SumState extends MetricState {
  private final ExactSum sum;

  public SumState() {
    this(new ExactSum());
  }

  private SumState(ExactSum sum) {
    this.sum = sum;
  }

  @Override
  public MetricType type() {
    return MetricType.SUM;
  }

  @Override
  public boolean add(Object value) {
    return addNumber(sum, value);
  }

  /** Adds a field value to an exact sum; false when it is present but not a number. */
  static boolean addNumber(ExactSum sum, Object value) {
    if (value == null) {
      return true;
    }
    if (value instanceof Long l) {
      sum.add(l);
      return true;
    }
    if (value instanceof BigDecimal d) {
      if (!EventLimits.withinCeilings(d)) {
        return false;
      }
      sum.add(d, true);
      return true;
    }
    if (value instanceof String s) {
      BigDecimal d = FieldValues.parseDecimal(s);
      if (d == null || !EventLimits.withinCeilings(d)) {
        return false;
      }
      boolean integral = d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0 && s.indexOf('.') < 0;
      if (integral && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
        sum.add(d.longValueExact());
      } else {
        sum.add(d, !integral);
      }
      return true;
    }
    return false;
  }

  @Override
  public void merge(MetricState other) {
    sum.add(((SumState) other).sum);
  }

  @Override
  public MetricState copy() {
    return new SumState(sum.copy());
  }

  @Override
  public void write(DataOutput out) throws IOException {
    sum.write(out);
  }

  static SumState readBody(DataInput in) throws IOException {
    return new SumState(ExactSum.read(in));
  }

  @Override
  public Number result() {
    return sum.value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumState s && s.sum.equals(sum);
  }

  @Override
  public int hashCode() {
    return sum.hashCode();
  }
}
