package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.lambdadist.core.event.EventLimits;

/**
 * An exact running sum: longs add in a {@code long} until they would overflow, decimals in a
 * {@link BigDecimal}. Exact addition is associative and commutative, so every layer and every
 * merge order gives the same sum to the last digit, which floating point cannot promise.
 * Inputs stay within {@link EventLimits}' ceilings, so a total's bytes are bounded and one limit
 * ({@link EventLimits#MAX_UNSCALED_BYTES}) holds for writing and reading.
 */
final class ExactSum {
  private long integral;
  private BigDecimal decimal; // null while every value was integral and fits a long
  private boolean anyDecimalInput;

  void add(long v) {
    long r = integral + v;
    if (((integral ^ r) & (v ^ r)) < 0) { // overflow: carry the long part into the decimal
      decimal = decimal().add(BigDecimal.valueOf(integral)).add(BigDecimal.valueOf(v));
      integral = 0;
    } else {
      integral = r;
    }
  }

  void add(BigDecimal v, boolean fromDecimalInput) {
    decimal = decimal().add(v);
    anyDecimalInput |= fromDecimalInput;
  }

  void add(ExactSum other) {
    add(other.integral);
    if (other.decimal != null) {
      decimal = decimal().add(other.decimal);
    }
    anyDecimalInput |= other.anyDecimalInput;
  }

  private BigDecimal decimal() {
    return decimal == null ? BigDecimal.ZERO : decimal;
  }

  BigDecimal total() {
    return decimal == null ? BigDecimal.valueOf(integral) : decimal.add(BigDecimal.valueOf(integral));
  }

  /**
   * A Long when every input was integral and the total fits a long; else the exact total
   * rounded once to the nearest double.
   */
  Number value() {
    if (!anyDecimalInput) {
      if (decimal == null) {
        return integral;
      }
      BigDecimal t = total();
      if (t.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0 && t.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
        return t.longValueExact();
      }
    }
    return total().doubleValue();
  }

  ExactSum copy() {
    ExactSum s = new ExactSum();
    s.integral = integral;
    s.decimal = decimal;
    s.anyDecimalInput = anyDecimalInput;
    return s;
  }

  /** Canonical form: the exact total, so equal sums write equal bytes. */
  void write(DataOutput out) throws IOException {
    out.writeBoolean(anyDecimalInput);
    BigDecimal t = total();
    if (t.signum() == 0) {
      t = BigDecimal.ZERO;
    } else {
      t = t.stripTrailingZeros();
    }
    out.writeInt(t.scale());
    byte[] unscaled = t.unscaledValue().toByteArray();
    out.writeInt(unscaled.length);
    out.write(unscaled);
  }

  static ExactSum read(DataInput in) throws IOException {
    ExactSum s = new ExactSum();
    s.anyDecimalInput = in.readBoolean();
    int scale = in.readInt();
    int n = in.readInt();
    if (n < 1 || n > EventLimits.MAX_UNSCALED_BYTES) {
      throw new IOException("bad sum length " + n);
    }
    if (scale < EventLimits.MIN_CANONICAL_SCALE || scale > EventLimits.MAX_SCALE_CEILING) {
      throw new IOException("bad sum scale " + scale);
    }
    byte[] unscaled = new byte[n];
    in.readFully(unscaled);
    BigDecimal t = new BigDecimal(new BigInteger(unscaled), scale);
    if (t.scale() <= 0 && t.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
        && t.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
      s.integral = t.longValueExact();
    } else {
      s.decimal = t;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactSum s && s.anyDecimalInput == anyDecimalInput && s.total().compareTo(total()) == 0;
  }

  @Override
  public int hashCode() {
    return total().stripTrailingZeros().hashCode();
  }
}
