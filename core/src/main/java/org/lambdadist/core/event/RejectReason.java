package org.lambdadist.core.event;

/**
 * Why an input record is not an event. The codes are part of the quarantine format and the
 * counters, so they never change meaning; every bound they name is in {@link EventLimits}.
 */
public enum RejectReason {
  /** The bytes are not one well-formed JSON object (malformed JSON, an array, a scalar, empty). */
  NOT_JSON_OBJECT,
  /** The object has no {@code timestamp} field (or it is null). */
  MISSING_TIMESTAMP,
  /**
   * {@code timestamp} is neither an ISO-8601 instant with zone nor integer epoch millis, or it
   * lies outside the plausible range ({@code lambda.event.timestamp.min}/{@code .max}).
   */
  BAD_TIMESTAMP,
  /** {@code event_id} is present but not a string or an integer. */
  BAD_EVENT_ID,
  /** The record is larger than the configured size limit. */
  TOO_LARGE,
  /**
   * The record is nested deeper, or holds a longer number literal, than the parser's limits
   * ({@code lambda.event.max-depth}, {@code lambda.event.max-number-length}).
   */
  OVER_LIMIT,
  /**
   * A value the product uses (a dimension, filter operand, distinct value, attribution key or
   * the {@code event_id}) is longer than {@code lambda.event.max-value-bytes}, or a view's
   * dimension values together would not fit a row key; the message names the field.
   */
  VALUE_TOO_LONG,
  /**
   * The record is not valid UTF-8, or a value the product uses holds an unpaired surrogate
   * ({@code "\ud800"}), which no layer could key or render the same way.
   */
  BAD_ENCODING,
  /**
   * Reading or aggregating the record failed in a way no bound foresaw (a defect): the record
   * is set aside with the error, so one record never stops a layer.
   */
  UNPROCESSABLE;

  /** A one-line description of an unexpected failure, for an {@link #UNPROCESSABLE} reject. */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    String text = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    int nl = text.indexOf('\n');
    text = nl < 0 ? text : text.substring(0, nl);
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
