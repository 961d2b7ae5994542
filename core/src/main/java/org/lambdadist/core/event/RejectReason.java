package org.lambdadist.core.event;

/**
 * Why an input record is not an event. The codes are part of the quarantine format and the
 * counters, so they never change meaning.
 */
public enum RejectReason {
  /** The bytes are not one well-formed JSON object (malformed JSON, an array, a scalar, empty). */
  NOT_JSON_OBJECT,
  /** The object has no {@code timestamp} field (or it is null). */
  MISSING_TIMESTAMP,
  /** {@code timestamp} is neither an ISO-8601 instant with zone nor integer epoch millis. */
  BAD_TIMESTAMP,
  /** {@code event_id} is present but not a string or an integer. */
  BAD_EVENT_ID,
  /** The record is larger than the configured size limit. */
  TOO_LARGE
}
