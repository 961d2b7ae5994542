package org.lambdadist.serving.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lambdadist.core.event.Timestamps;
import org.lambdadist.storage.UserError;

/**
 * The times a command line gives: what the API takes (ISO-8601 with zone, epoch millis) and
 * what a person types ({@code 2026-11-01} for that day's start in UTC, {@code now},
 * {@code now-90m}); days of attribution as {@code YYYY-MM-DD}, {@code today} or
 * {@code today-7d}. Relative times are read against the injected clock.
 */
final class QueryTime {
  private static final Pattern RELATIVE = Pattern.compile("now-(\\d{1,9})([smhd])");
  private static final Pattern RELATIVE_DAY = Pattern.compile("today-(\\d{1,9})d?");
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private QueryTime() {}

  /** The instant {@code text} of option {@code option}. */
  static Instant instant(String option, String text, Clock clock) throws UserError {
    if (text.equals("now")) {
      return clock.instant();
    }
    Matcher relative = RELATIVE.matcher(text);
    if (relative.matches()) {
      long n = Long.parseLong(relative.group(1));
      Duration ago = switch (relative.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return clock.instant().minus(ago);
    }
    if (DAY.matcher(text).matches()) {
      return day(option, text, clock).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    long millis = Timestamps.parseText(text);
    if (millis == Long.MIN_VALUE) {
      throw UserError.usage(option + " is not a time: '" + text + "' (ISO-8601 with zone as 2026-11-01T10:00:00Z,"
          + " epoch millis, a day as 2026-11-01, now, or now-N with s, m, h or d)");
    }
    return Instant.ofEpochMilli(millis);
  }

  /** The day {@code text} of option {@code option}, in UTC for {@code today}. */
  static LocalDate day(String option, String text, Clock clock) throws UserError {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (text.equals("today")) {
      return today;
    }
    Matcher relative = RELATIVE_DAY.matcher(text);
    if (relative.matches()) {
      return today.minusDays(Long.parseLong(relative.group(1)));
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw UserError.usage(option + " is not a day: '" + text + "' (YYYY-MM-DD, today or today-N)", e);
    }
  }
}
