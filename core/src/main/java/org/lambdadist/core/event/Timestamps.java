package org.lambdadist.core.event;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Event time parsing: an ISO-8601 instant with a zone ({@code 2018-01-01T01:01:35Z},
 * fractions and offsets such as {@code +02:00} or {@code +0200} allowed, a space instead of
 * {@code T} as RFC 3339 allows) or integer epoch milliseconds, also given as a string of
 * digits. Fractions below a millisecond are truncated toward the past.
 *
 * <p>The common shape {@code yyyy-MM-ddTHH:mm:ss[.fff]Z} is parsed by hand because it is on
 * the hot path of every layer; anything else falls back to {@link OffsetDateTime}.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The earliest time any setting may call plausible (about 95,000 years before 1970). */
  public static final long MIN_SUPPORTED = -3_000_000_000_000_000L;
  /** The latest time any setting may call plausible (about 95,000 years after 1970). */
  public static final long MAX_SUPPORTED = 3_000_000_000_000_000L;

  /** A time for messages: ISO-8601 when it is one, else the millis. */
  public static String describe(long millis) {
    if (millis >= MIN_SUPPORTED && millis <= MAX_SUPPORTED) {
      return java.time.Instant.ofEpochMilli(millis).toString();
    }
    return millis + " ms";
  }

  /** Epoch millis of an ISO-8601 text, or {@link Long#MIN_VALUE} when it does not parse. */
  public static long parseText(String text) {
    if (text.isEmpty()) {
      return Long.MIN_VALUE;
    }
    if (isDigits(text)) {
      if (text.length() > 18) {
        return Long.MIN_VALUE;
      }
      return Long.parseLong(text);
    }
    long fast = parseUtcFast(text);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    for (DateTimeFormatter format : FORMATS) {
      try {
        return OffsetDateTime.parse(text, format).toInstant().toEpochMilli();
      } catch (DateTimeException | ArithmeticException e) {
        // Not this shape; the next one, or not a timestamp at all.
      }
    }
    return Long.MIN_VALUE;
  }

  /**
   * The accepted shapes besides the fast path: ISO-8601 extended ({@code +01:00}), ISO-8601
   * basic offsets ({@code +0100}, {@code +01}) and RFC 3339's space between date and time. A
   * zone is always required: a local time is not an instant.
   */
  private static final DateTimeFormatter[] FORMATS = {
      DateTimeFormatter.ISO_OFFSET_DATE_TIME,
      new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart().appendLiteral('T').optionalEnd()
          .optionalStart().appendLiteral(' ').optionalEnd()
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
          .optionalStart().appendOffset("+HH", "Z").optionalEnd()
          .toFormatter(java.util.Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.STRICT)};

  private static boolean isDigits(String s) {
    int start = s.charAt(0) == '-' && s.length() > 1 ? 1 : 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} in UTC, or MIN_VALUE for any other shape. */
  static long parseUtcFast(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
        || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    int millis = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9) {
        return Long.MIN_VALUE;
      }
      int fractionDigits = n - 21;
      for (int i = 0; i < 3; i++) {
        int d = i < fractionDigits ? digit(s.charAt(20 + i)) : 0;
        if (d < 0) {
          return Long.MIN_VALUE;
        }
        millis = millis * 10 + d;
      }
      for (int i = 3; i < fractionDigits; i++) {
        if (digit(s.charAt(20 + i)) < 0) {
          return Long.MIN_VALUE;
        }
      }
    } else if (n != 20) {
      return Long.MIN_VALUE;
    }
    if (day > lengthOfMonth(year, month)) {
      return Long.MIN_VALUE;
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = digit(s.charAt(i));
      if (d < 0) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : -1;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
  private static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long mp = (month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
