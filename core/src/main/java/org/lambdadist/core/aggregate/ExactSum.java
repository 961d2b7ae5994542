package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
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

  /**
   * The total divided by {@code count} (positive), rounded once to the nearest double: the
   * exact quotient to 34 digits, then to a double. When the total is an integer (or a decimal)
   * whose unscaled value and divisor are both below 2^53, one double division gives the same
   * double: both operands are exact, IEEE division rounds the exact quotient once, and such a
   * quotient is never within 10^-33 (relative) of a midpoint between two doubles without being
   * on it, nor ever exactly on one, so the 34-digit rounding cannot change the side it rounds to.
   * {@code ExactSumTest} checks the two paths agree. The serving layer renders an average per
   * row; the decimal division was most of its CPU.
   */
  double dividedBy(long count) {
    if (decimal == null) {
      if (Math.abs(integral) < TWO_TO_53 && count < TWO_TO_53) {
        return (double) integral / (double) count;
      }
      return exactQuotient(count);
    }
    BigDecimal t = total(); // u * 10^-scale: the quotient is u / (count * 10^scale)
    int scale = t.scale();
    if (scale >= 0 && scale < POWERS_OF_TEN.length && t.unscaledValue().bitLength() < 53
        && count < TWO_TO_53 / POWERS_OF_TEN[scale]) {
      return (double) t.unscaledValue().longValue() / (double) (count * POWERS_OF_TEN[scale]);
    }
    return exactQuotient(count);
  }

  /** {@link #dividedBy} the slow way: the exact quotient to 34 digits, then to the nearest double. */
  double exactQuotient(long count) {
    return total().divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
  }

  private static final long TWO_TO_53 = 1L << 53;
  private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
      100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
      100_000_000_000_000L, 1_000_000_000_000_000L};

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
