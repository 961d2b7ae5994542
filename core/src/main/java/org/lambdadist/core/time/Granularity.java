package org.lambdadist.core.time;

import java.time.Instant;
import java.util.Locale;

/**
 * A bucket size for time series. A bucket is the half-open interval {@code [start, start +
 * size)} in UTC: an event at exactly {@code 01:02:00.000Z} is in the 01:02 minute, one at
 * {@code 01:01:59.999Z} in the 01:01 minute. Times before 1970 floor toward the past.
 *
 * <p>Each granularity has a stable one-byte {@link #code()} used in row keys, ordered by size.
 */
public enum Granularity {
  MINUTE(60_000L, (byte) 1),
  HOUR(3_600_000L, (byte) 2),
  DAY(86_400_000L, (byte) 3);

  private final long sizeMillis;
  private final byte code;
  /** The lower-case name, computed once: it is written into every answer row. */
  private final String label;

  Granularity(long sizeMillis, byte code) {
    this.label = name().toLowerCase(Locale.ROOT);
    this.sizeMillis = sizeMillis;
    this.code = code;
  }

  public long sizeMillis() {
    return sizeMillis;
  }

  public byte code() {
    return code;
  }

  /**
   * The start of the bucket holding {@code epochMillis}. Exact for every time an event can have
   * (the parser keeps them within about ±95,000 years); for a time whose bucket start is not a
   * {@code long} (within a day of {@link Long#MIN_VALUE}) it throws rather than wrap around.
   */
  public long bucketStart(long epochMillis) {
    return Math.multiplyExact(Math.floorDiv(epochMillis, sizeMillis), sizeMillis);
  }

  /**
   * The start of the bucket after the one holding {@code epochMillis}, or {@link Long#MAX_VALUE}
   * when there is none (no overflow).
   */
  public long nextBucketStart(long epochMillis) {
    long start = bucketStart(epochMillis);
    return start > Long.MAX_VALUE - sizeMillis ? Long.MAX_VALUE : start + sizeMillis;
  }

  /**
   * How many buckets start in {@code [from, to)}: the buckets a lookup of that range can return
   * (0 when {@code to <= from}). For times within the events' range (±95,000 years).
   */
  public long bucketsIn(long from, long to) {
    long first = isBucketStart(from) ? from : nextBucketStart(from);
    return to <= first ? 0 : (to - first + sizeMillis - 1) / sizeMillis;
  }

  /** The UTC day of an instant, {@code YYYY-MM-DD}: the key of attribution rows. */
  public static String dayOf(long epochMillis) {
    return java.time.LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY.sizeMillis)).toString();
  }

  /** True when {@code epochMillis} is the start of a bucket. */
  public boolean isBucketStart(long epochMillis) {
    return Math.floorMod(epochMillis, sizeMillis) == 0;
  }

  /** The lower-case name used in view definitions, URLs and exports. */
  public String label() {
    return label;
  }

  /** Formats a bucket start as an ISO-8601 instant, e.g. {@code 2018-01-01T01:01:00Z}. */
  public static String formatInstant(long epochMillis) {
    if (epochMillis < 0 || epochMillis > LAST_MILLIS_OF_9999) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    // The common case (years 1970-9999) without java.time: every answer row has a bucket
    // instant, so the serving layer formats one per row. Same text as Instant.toString.
    long days = epochMillis / 86_400_000L;
    int msOfDay = (int) (epochMillis % 86_400_000L);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    long z = days + 719_468;
    long era = z / 146_097;
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    int millis = msOfDay % 1000;
    int secs = msOfDay / 1000;
    char[] c = new char[millis == 0 ? 20 : 24];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, month, 2);
    c[7] = '-';
    digits(c, 8, day, 2);
    c[10] = 'T';
    digits(c, 11, secs / 3600, 2);
    c[13] = ':';
    digits(c, 14, secs / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secs % 60, 2);
    if (millis != 0) {
      c[19] = '.';
      digits(c, 20, millis, 3);
    }
    c[c.length - 1] = 'Z';
    return new String(c);
  }

  /** 9999-12-31T23:59:59.999Z: Instant.toString writes years beyond it with a sign. */
  private static final long LAST_MILLIS_OF_9999 = 253_402_300_799_999L;

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The granularity with this label, or null. */
  public static Granularity fromLabel(String label) {
    for (Granularity g : values()) {
      if (g.label().equals(label)) {
        return g;
      }
    }
    return null;
  }

  /** The granularity with this code, or null. */
  public static Granularity fromCode(byte code) {
    for (Granularity g : values()) {
      if (g.code == code) {
        return g;
      }
    }
    return null;
  }
}
