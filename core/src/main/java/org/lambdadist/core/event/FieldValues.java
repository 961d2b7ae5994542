package org.lambdadist.core.event;

import java.math.BigDecimal;

/**
 * The canonical text of a field value, used wherever values are compared or grouped:
 * dimension values, filter matches and distinct counting. Numbers compare by value, so
 * {@code 2}, {@code 2.0} and {@code "2"} are the same dimension value {@code "2"}.
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

  private static String canonicalDecimal(BigDecimal d) {
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
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
