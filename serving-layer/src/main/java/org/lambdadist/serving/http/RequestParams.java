package org.lambdadist.serving.http;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.Timestamps;
import org.lambdadist.core.event.Utf8;
import org.lambdadist.core.view.ViewDefinition;

/** The parameter checks shared by endpoints: each bad parameter is a 400 that names it. */
final class RequestParams {
  private RequestParams() {}

  /** Fails on any parameter not among {@code allowed}. */
  static void only(Map<String, String[]> params, Set<String> allowed, String hint) throws ApiException {
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw new ApiException(400, "unknown parameter '" + name + "' (" + hint + ")");
      }
    }
  }

  /** An instant given once: ISO-8601 with zone or epoch millis, within the times events can have. */
  static long time(Map<String, String[]> params, String name) throws ApiException {
    String[] v = params.get(name);
    if (v == null || v.length != 1 || v[0].isEmpty()) {
      throw new ApiException(400, "'" + name + "' is required once: an ISO-8601 instant or epoch millis");
    }
    return time(name, v[0]);
  }

  /** The instant {@code text} (ISO-8601 with zone or epoch millis) given as {@code name}. */
  static long time(String name, String text) throws ApiException {
    long t = Timestamps.parseText(text);
    if (t == Long.MIN_VALUE) {
      throw new ApiException(400, "'" + name + "' is not an ISO-8601 instant with zone or epoch millis: " + text);
    }
    if (t < Timestamps.MIN_SUPPORTED || t > Timestamps.MAX_SUPPORTED) {
      throw new ApiException(400, "'" + name + "' is outside the times events can have: " + text);
    }
    return t;
  }

  /** An optional flag given at most once: {@code true} or {@code false} (absent: false). */
  static boolean flag(Map<String, String[]> params, String name) throws ApiException {
    String[] v = params.get(name);
    if (v == null) {
      return false;
    }
    if (v.length != 1 || !(v[0].equals("true") || v[0].equals("false"))) {
      throw new ApiException(400, "'" + name + "' is true or false, given at most once");
    }
    return v[0].equals("true");
  }

  /** A day given once, {@code YYYY-MM-DD}. */
  static LocalDate day(Map<String, String[]> params, String name) throws ApiException {
    String[] v = params.get(name);
    if (v == null || v.length != 1) {
      throw new ApiException(400, "'" + name + "' is required once: a day, YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(v[0]);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "'" + name + "' is not a day (YYYY-MM-DD): " + v[0], e);
    }
  }

  /**
   * Every dimension of the view, exactly once; {@code null=DIM} asks for a missing value. A value
   * longer than any event's can be is a 400, never a scan.
   */
  static List<String> dimensions(ViewDefinition view, Map<String, String[]> params, EventLimits limits)
      throws ApiException {
    List<String> nulls = params.containsKey("null") ? List.of(params.get("null")) : List.of();
    for (String name : params.keySet()) {
      if (!name.equals("from") && !name.equals("to") && !name.equals("null") && !name.equals("parts")
          && !view.dimensions().contains(name)) {
        throw new ApiException(400, "unknown dimension '" + name + "' (view '" + view.name() + "' has "
            + String.join(", ", view.dimensions()) + ")");
      }
    }
    for (String n : nulls) {
      if (!view.dimensions().contains(n)) {
        throw new ApiException(400, "unknown dimension '" + n + "' in null= (view '" + view.name() + "' has "
            + String.join(", ", view.dimensions()) + ")");
      }
    }
    List<String> values = new ArrayList<>();
    for (String d : view.dimensions()) {
      String[] v = params.get(d);
      boolean isNull = nulls.contains(d);
      if ((v == null || v.length == 0) && !isNull) {
        throw new ApiException(400, "missing dimension '" + d + "' (a lookup gives every dimension: "
            + String.join(", ", view.dimensions()) + "; null=" + d + " for a missing value)");
      }
      if ((v != null && v.length > 1) || (v != null && isNull)) {
        throw new ApiException(400, "dimension '" + d + "' given more than once");
      }
      String tooLong = isNull ? null : tooLong(d, v[0], limits);
      if (tooLong != null) {
        throw new ApiException(400, tooLong);
      }
      values.add(isNull ? null : v[0]);
    }
    return values;
  }

  /**
   * Why dimension {@code d}'s {@code value} cannot be looked up, or null: a value longer than
   * any event's can be (the single-key and the multi-key lookup refuse it alike, before a scan).
   */
  static String tooLong(String d, String value, EventLimits limits) {
    if (Utf8.encodedLength(value) <= limits.maxValueBytes()) {
      return null;
    }
    return "dimension '" + d + "' is longer than " + limits.maxValueBytes()
        + " bytes (lambda.event.max-value-bytes): no event has such a value";
  }
}
