package org.lambdadist.core.event;

import java.util.Collections;
import java.util.Map;

/**
 * An accepted event: its time in epoch milliseconds (UTC), its optional id, and its scalar
 * fields flattened to dotted paths ({@code {"device":{"os":"ios"}}} gives {@code device.os}).
 *
 * <p>Field values are {@link String}, {@link Long} (integral JSON numbers that fit a long),
 * {@link java.math.BigDecimal} (every other JSON number, kept exact) or {@link Boolean}. JSON
 * nulls and arrays are not addressable and are left out, so a null field reads as missing.
 */
public final class Event {
  private final long timestampMillis;
  private final String eventId;
  private final Map<String, Object> fields;

  public Event(long timestampMillis, String eventId, Map<String, Object> fields) {
    this.timestampMillis = timestampMillis;
    this.eventId = eventId;
    this.fields = Collections.unmodifiableMap(fields);
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  /** The event's id, or null when it has none (then it is never a duplicate). */
  public String eventId() {
    return eventId;
  }

  /** The value at a dotted path, or null when the field is missing or null. */
  public Object field(String path) {
    return fields.get(path);
  }

  public Map<String, Object> fields() {
    return fields;
  }

  @Override
  public String toString() {
    return "Event{ts=" + timestampMillis + ", id=" + eventId + ", fields=" + fields + "}";
  }
}
