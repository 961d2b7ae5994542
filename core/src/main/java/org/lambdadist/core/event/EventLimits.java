package org.lambdadist.core.event;

import java.math.BigDecimal;
import java.util.function.Function;
import org.lambdadist.core.config.LambdaDefaults;
import org.lambdadist.core.config.LambdaKeys;

/**
 * The bounds every accepted event keeps, one set for every layer, so whatever is accepted can
 * be keyed, encoded, decoded and merged, and a record is accepted by the batch layer iff by the
 * speed layer. Each bound has a {@code lambda.event.*} key ({@link LambdaKeys}) with a default.
 *
 * <ul>
 *   <li>{@code maxRecordBytes}: a record over it is {@link RejectReason#TOO_LARGE}.
 *   <li>{@code maxDepth}, {@code maxNumberLength}: the parser's nesting (objects and arrays) and
 *       number-literal limits; over them the record is {@link RejectReason#OVER_LIMIT}. Strings
 *       and names are bounded by the record size.
 *   <li>{@code maxValueBytes}: the UTF-8 length of a value used as a dimension, a filter
 *       operand, a distinct value or an attribution key; over it the event is
 *       {@link RejectReason#VALUE_TOO_LONG}.
 *   <li>{@code minTimestampMillis}, {@code maxTimestampMillis}: the plausible event times
 *       (inclusive); outside them the event is {@link RejectReason#BAD_TIMESTAMP}.
 *   <li>{@code metricMaxExponent}, {@code metricMaxScale}: a metric number must have
 *       {@code |x| < 10^metricMaxExponent} and at most {@code metricMaxScale} digits after the
 *       point (trailing zeros aside); another number is a bad metric value, counted, and the
 *       event still counts for its other metrics.
 * </ul>
 * The ceilings ({@link #MAX_EXPONENT_CEILING}, {@link #MAX_SCALE_CEILING}) bound what any
 * configuration may accept, and the state codecs read everything below them, so every state
 * that can be written can be read back whatever the settings were.
 */
public record EventLimits(
    int maxRecordBytes,
    int maxDepth,
    int maxNumberLength,
    int maxValueBytes,
    long minTimestampMillis,
    long maxTimestampMillis,
    int metricMaxExponent,
    int metricMaxScale) implements java.io.Serializable {

  /** No configuration may let a metric number reach 10^1000. */
  public static final int MAX_EXPONENT_CEILING = 1000;
  /** No configuration may accept more than 1000 digits after the point. */
  public static final int MAX_SCALE_CEILING = 1000;
  /** The largest value length any configuration may accept (HBase row keys hold 32,767 bytes). */
  public static final int MAX_VALUE_BYTES_CEILING = 8 * 1024;

  public EventLimits {
    check(maxRecordBytes >= 64, LambdaKeys.EVENT_MAX_BYTES + " must be at least 64: " + maxRecordBytes);
    check(maxDepth >= 1 && maxDepth <= 1000, LambdaKeys.EVENT_MAX_DEPTH + " must be in 1..1000: " + maxDepth);
    check(maxNumberLength >= 20 && maxNumberLength <= 10_000,
        LambdaKeys.EVENT_MAX_NUMBER_LENGTH + " must be in 20..10000: " + maxNumberLength);
    check(maxValueBytes >= 1 && maxValueBytes <= MAX_VALUE_BYTES_CEILING,
        LambdaKeys.EVENT_MAX_VALUE_BYTES + " must be in 1.." + MAX_VALUE_BYTES_CEILING + ": " + maxValueBytes);
    check(minTimestampMillis <= maxTimestampMillis, LambdaKeys.EVENT_TIMESTAMP_MIN + " must not be after "
        + LambdaKeys.EVENT_TIMESTAMP_MAX);
    check(minTimestampMillis >= Timestamps.MIN_SUPPORTED && maxTimestampMillis <= Timestamps.MAX_SUPPORTED,
        "event time bounds must lie within +-" + Timestamps.MAX_SUPPORTED + " ms of 1970 (about 95,000 years)");
    check(metricMaxExponent >= 1 && metricMaxExponent <= MAX_EXPONENT_CEILING,
        LambdaKeys.EVENT_METRIC_MAX_EXPONENT + " must be in 1.." + MAX_EXPONENT_CEILING + ": " + metricMaxExponent);
    check(metricMaxScale >= 0 && metricMaxScale <= MAX_SCALE_CEILING,
        LambdaKeys.EVENT_METRIC_MAX_SCALE + " must be in 0.." + MAX_SCALE_CEILING + ": " + metricMaxScale);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The documented defaults. */
  public static EventLimits defaults() {
    return fromSettings(key -> null);
  }

  /**
   * The limits from settings ({@code lookup} returns null for an unset key, which takes its
   * default). A value that is not a number or an instant, or out of its range, fails with the
   * key's name.
   */
  public static EventLimits fromSettings(Function<String, String> lookup) {
    return new EventLimits(
        integer(lookup, LambdaKeys.EVENT_MAX_BYTES),
        integer(lookup, LambdaKeys.EVENT_MAX_DEPTH),
        integer(lookup, LambdaKeys.EVENT_MAX_NUMBER_LENGTH),
        integer(lookup, LambdaKeys.EVENT_MAX_VALUE_BYTES),
        instant(lookup, LambdaKeys.EVENT_TIMESTAMP_MIN),
        instant(lookup, LambdaKeys.EVENT_TIMESTAMP_MAX),
        integer(lookup, LambdaKeys.EVENT_METRIC_MAX_EXPONENT),
        integer(lookup, LambdaKeys.EVENT_METRIC_MAX_SCALE));
  }

  /** These limits with another record size limit. */
  public EventLimits withMaxRecordBytes(int bytes) {
    return new EventLimits(bytes, maxDepth, maxNumberLength, maxValueBytes, minTimestampMillis, maxTimestampMillis,
        metricMaxExponent, metricMaxScale);
  }

  /** These limits with another plausible time range. */
  public EventLimits withTimestampRange(long minMillis, long maxMillis) {
    return new EventLimits(maxRecordBytes, maxDepth, maxNumberLength, maxValueBytes, minMillis, maxMillis,
        metricMaxExponent, metricMaxScale);
  }

  /** These limits with another value length limit. */
  public EventLimits withMaxValueBytes(int bytes) {
    return new EventLimits(maxRecordBytes, maxDepth, maxNumberLength, bytes, minTimestampMillis, maxTimestampMillis,
        metricMaxExponent, metricMaxScale);
  }

  /** True when {@code millis} is a plausible event time. */
  public boolean isPlausibleTime(long millis) {
    return millis >= minTimestampMillis && millis <= maxTimestampMillis;
  }

  /**
   * True when a value may be added to a numeric metric ({@code sum}, {@code min}, {@code max},
   * {@code avg}, attribution's revenue): a JSON number, or a string holding one, within
   * {@link #isMetricNumber}'s range and scale. Booleans and other text are not.
   */
  public boolean isMetricValue(Object value) {
    if (value instanceof Long l) {
      return metricMaxExponent > 18 || isMetricNumber(BigDecimal.valueOf(l));
    }
    if (value instanceof BigDecimal d) {
      return isMetricNumber(d);
    }
    if (value instanceof String s) {
      BigDecimal d = FieldValues.parseDecimal(s);
      return d != null && isMetricNumber(d);
    }
    return false;
  }

  /**
   * True when a number may be a metric value: {@code |x| < 10^metricMaxExponent} and at most
   * {@code metricMaxScale} digits after the point once trailing zeros are stripped. Looks only
   * at the digits and the exponent, never expands them (so {@code 1e-999999999} costs nothing).
   */
  public boolean isMetricNumber(BigDecimal d) {
    return fits(d, metricMaxExponent, metricMaxScale);
  }

  /**
   * True when a number lies within the ceilings no configuration may pass: the states refuse
   * any other number, so every state that can be written can be read back.
   */
  public static boolean withinCeilings(BigDecimal d) {
    return fits(d, MAX_EXPONENT_CEILING, MAX_SCALE_CEILING);
  }

  /** {@code |d| < 10^maxExponent} and at most {@code maxScale} digits after the point, trailing zeros aside. */
  private static boolean fits(BigDecimal d, int maxExponent, int maxScale) {
    if (d.signum() == 0) {
      return true;
    }
    // The decimal exponent of the leading digit: 123.4 -> 2, 0.05 -> -2.
    long exponent = (long) d.precision() - d.scale() - 1;
    if (exponent >= maxExponent) {
      return false;
    }
    if (d.scale() <= maxScale) {
      return true;
    }
    // A large scale may be only trailing zeros (1.000...0): strip them, at a cost bounded by the
    // parser's number length; but not when even the leading digit is past the allowed scale.
    return (long) d.scale() - d.precision() < maxScale && d.stripTrailingZeros().scale() <= maxScale;
  }

  /**
   * The most bytes of the unscaled value of any exact sum or extreme value: a total of at most
   * 2^63 numbers within the ceilings has fewer than 1000 + 19 digits before the point and at
   * most 1000 after, so fewer than 2030 digits: 6,744 bits. The codecs read up to this.
   */
  public static final int MAX_UNSCALED_BYTES = 1024;
  /** The range of the scale of a canonical (trailing zeros stripped) total within the ceilings. */
  public static final int MIN_CANONICAL_SCALE = -(MAX_EXPONENT_CEILING + 20);

  private static int integer(Function<String, String> lookup, String key) {
    String v = lookup.apply(key);
    if (v == null || v.isBlank()) {
      v = LambdaDefaults.get(key);
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: " + v, e);
    }
  }

  private static long instant(Function<String, String> lookup, String key) {
    String v = lookup.apply(key);
    String text = v == null || v.isBlank() ? LambdaDefaults.get(key) : v.trim();
    long millis = Timestamps.parseText(text);
    if (millis == Long.MIN_VALUE) {
      throw new IllegalArgumentException(key + " is not an ISO-8601 instant with zone or epoch millis: " + text);
    }
    return millis;
  }
}
