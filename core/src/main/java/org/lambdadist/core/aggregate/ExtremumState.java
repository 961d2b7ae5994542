package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.view.MetricType;

/**
 * {@code min} or {@code max}: the extreme value of a numeric field, compared exactly. Renders
 * as an integer when the extreme value was integral, else as a double; null over no values.
 * Of equal values (2 and 2.0) the integral one wins, so the result never depends on order.
 */
public final class ExtremumState extends MetricState {
  private final MetricType type;
  private BigDecimal best; // null: no values yet
  private boolean integral;

  public ExtremumState(MetricType type) {
    if (type != MetricType.MIN && type != MetricType.MAX) {
      throw new IllegalArgumentException("not min or max: " + type);
    }
    this.type = type;
  }

  @Override
  public MetricType type() {
    return type;
  }

  @Override
  public boolean add(Object value) {
    if (value == null) {
      return true;
    }
    if (value instanceof Long l) {
      offer(BigDecimal.valueOf(l), true);
      return true;
    }
    if (value instanceof BigDecimal d) {
      if (!EventLimits.withinCeilings(d)) {
        return false;
      }
      offer(d, false);
      return true;
    }
    if (value instanceof String s) {
      BigDecimal d = FieldValues.parseDecimal(s);
      if (d == null || !EventLimits.withinCeilings(d)) {
        return false;
      }
      offer(d, s.indexOf('.') < 0 && d.stripTrailingZeros().scale() <= 0);
      return true;
    }
    return false;
  }

  private void offer(BigDecimal candidate, boolean candidateIntegral) {
    if (best == null) {
      best = candidate;
      integral = candidateIntegral;
      return;
    }
    int c = candidate.compareTo(best);
    boolean better = type == MetricType.MIN ? c < 0 : c > 0;
    if (better || (c == 0 && candidateIntegral && !integral)) {
      best = candidate;
      integral = candidateIntegral;
    }
  }

  @Override
  public void merge(MetricState other) {
    ExtremumState o = (ExtremumState) other;
    if (o.best != null) {
      offer(o.best, o.integral);
    }
  }

  @Override
  public MetricState copy() {
    ExtremumState e = new ExtremumState(type);
    e.best = best;
    e.integral = integral;
    return e;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    if (best == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(integral ? 1 : 2);
    BigDecimal canonical = best.signum() == 0 ? BigDecimal.ZERO : best.stripTrailingZeros();
    out.writeInt(canonical.scale());
    byte[] unscaled = canonical.unscaledValue().toByteArray();
    out.writeInt(unscaled.length);
    out.write(unscaled);
  }

  static ExtremumState readBody(MetricType type, DataInput in) throws IOException {
    ExtremumState e = new ExtremumState(type);
    byte kind = in.readByte();
    if (kind == 0) {
      return e;
    }
    if (kind != 1 && kind != 2) {
      throw new IOException("bad " + type.label() + " kind " + kind);
    }
    int scale = in.readInt();
    int n = in.readInt();
    if (n < 1 || n > EventLimits.MAX_UNSCALED_BYTES) {
      throw new IOException("bad " + type.label() + " length " + n);
    }
    if (scale < EventLimits.MIN_CANONICAL_SCALE || scale > EventLimits.MAX_SCALE_CEILING) {
      throw new IOException("bad " + type.label() + " scale " + scale);
    }
    byte[] unscaled = new byte[n];
    in.readFully(unscaled);
    e.best = new BigDecimal(new BigInteger(unscaled), scale);
    e.integral = kind == 1;
    return e;
  }

  @Override
  public Number result() {
    if (best == null) {
      return null;
    }
    if (integral && best.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
        && best.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
      return best.longValueExact();
    }
    return best.doubleValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtremumState e && e.type == type && e.integral == integral
        && (e.best == null ? best == null : best != null && e.best.compareTo(best) == 0);
  }

  @Override
  public int hashCode() {
    return best == null ? 0 : best.stripTrailingZeros().hashCode();
  }
}
