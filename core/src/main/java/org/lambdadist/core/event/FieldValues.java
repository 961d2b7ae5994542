package org.lambdadist.core.event;

import java.math.BigDecimal;

/**
 * The canonical text of a field value, used wherever values are compared or grouped:
 * dimension values, filter matches and distinct counting. Numbers compare by value, so
 * {@code 2}, {@code 2.0} and {@code "2"} are the same dimension value {@code "2"}.
 *
 * <p>A number is written in plain digits while its exponent is within ±{@value #PLAIN_EXPONENT}
 * ({@code 1500}, {@code 0.25}), else as its digits and a decimal exponent ({@code 1e999999999},
 * {@code 1.5e-60}): the text is short however large the exponent, and equal values always give
 * equal text.
 */
public final class FieldValues {
  private FieldValues() {}

  /** The canonical text of a value, or null for a missing value. */
  public static String canonical(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof BigDecimal d) {
      return canonicalDecimal(d);
    }
    return value.toString();
  }

  /** Numbers with a decimal exponent within this many places are written in plain digits. */
  public static final int PLAIN_EXPONENT = 40;

  private static String canonicalDecimal(BigDecimal d) {
    if (d.signum() == 0) {
      return "0";
    }
    BigDecimal s = d.stripTrailingZeros();
    long exponent = (long) s.precision() - s.scale() - 1; // of the leading digit
    if (exponent <= PLAIN_EXPONENT && exponent >= -PLAIN_EXPONENT) {
      return s.toPlainString();
    }
    // d.ddd…e±N, from the unscaled digits: no expansion of the exponent.
    String digits = s.unscaledValue().abs().toString();
    StringBuilder text = new StringBuilder(digits.length() + 24);
    if (s.signum() < 0) {
      text.append('-');
    }
    text.append(digits.charAt(0));
    if (digits.length() > 1) {
      text.append('.').append(digits, 1, digits.length());
    }
    return text.append('e').append(exponent).toString();
  }

  /**
   * The value as an exact number, or null when it is not numeric: longs, decimals and
   * strings that parse as decimal numbers. Booleans are not numbers.
   */
  public static BigDecimal decimal(Object value) {
    if (value instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof String s) {
      return parseDecimal(s);
    }
    return null;
  }

  /** Parses a numeric string, or returns null; never throws. */
  public static BigDecimal parseDecimal(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 400) {
      return null;
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
