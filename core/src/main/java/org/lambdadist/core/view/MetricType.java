package org.lambdadist.core.view;

import java.util.Locale;

/**
 * The metric types a view can compute, each a monoid in {@code core.aggregate}. The one-byte
 * {@link #tag()} identifies the state in encoded aggregate values and never changes.
 */
public enum MetricType {
  /** Events (or, with a field, events that have the field). */
  COUNT((byte) 1, false),
  /** Exact sum of a numeric field; 0 over no values. */
  SUM((byte) 2, true),
  /** Smallest value of a numeric field; null over no values. */
  MIN((byte) 3, true),
  /** Largest value of a numeric field; null over no values. */
  MAX((byte) 4, true),
  /** Exact sum divided by the number of values; null over no values. */
  AVG((byte) 5, true),
  /** Estimated number of distinct values (HyperLogLog sketch). */
  DISTINCT((byte) 6, true);

  private final byte tag;
  private final boolean fieldRequired;

  MetricType(byte tag, boolean fieldRequired) {
    this.tag = tag;
    this.fieldRequired = fieldRequired;
  }

  public byte tag() {
    return tag;
  }

  public boolean fieldRequired() {
    return fieldRequired;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MetricType fromLabel(String label) {
    for (MetricType t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    return null;
  }

  /** Every type, not cloned per call as {@code values()} is: every decoded metric looks its type up. */
  private static final MetricType[] ALL = values();

  public static MetricType fromTag(byte tag) {
    for (MetricType t : ALL) {
      if (t.tag == tag) {
        return t;
      }
    }
    return null;
  }
}
