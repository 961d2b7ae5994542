package org.lambdadist.core.event;

import java.util.Collections;
import java.util.HashMap;
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
  private Map<String, Object> fields;
  /** A projected event's fields: values by slot of {@link #projection}, else null. */
  private final FieldProjection projection;
  private final Object[] values;

  public Event(long timestampMillis, String eventId, Map<String, Object> fields) {
    this.timestampMillis = timestampMillis;
    this.eventId = eventId;
    this.fields = Collections.unmodifiableMap(fields);
    this.projection = null;
    this.values = null;
  }

  /** An event holding only the fields of a projection ({@code values} by slot, null when missing). */
  Event(long timestampMillis, String eventId, FieldProjection projection, Object[] values) {
    this.timestampMillis = timestampMillis;
    this.eventId = eventId;
    this.projection = projection;
    this.values = values;
  }

  /** The projection of a projected event (else null); for {@link ProjectedEvents}. */
  FieldProjection projection() {
    return projection;
  }

  /** The projected values by slot, or null for an event held as a map; for {@link ProjectedEvents}. */
  Object[] slotValues() {
    return values;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  /** The event's id, or null when it has none (then it is never a duplicate). */
  public String eventId() {
    return eventId;
  }

  /**
   * The value at a dotted path, or null when the field is missing or null. A projected event
   * refuses a path outside its projection rather than answer null for a field it never kept.
   */
  public Object field(String path) {
    if (projection == null) {
      return fields.get(path);
    }
    int slot = projection.slot(path);
    if (slot < 0) {
      throw new IllegalArgumentException("field \"" + path + "\" is not among the fields this event was parsed for "
          + projection.paths());
    }
    return values[slot];
  }

  /** Every field this event holds (for a projected event, the kept ones that are present). */
  public Map<String, Object> fields() {
    if (fields == null) {
      Map<String, Object> m = new HashMap<>();
      for (int s = 0; s < values.length; s++) {
        if (values[s] != null) {
          m.put(projection.path(s), values[s]);
        }
      }
      fields = Collections.unmodifiableMap(m);
    }
    return fields;
  }

  @Override
  public String toString() {
    return "Event{ts=" + timestampMillis + ", id=" + eventId + ", fields=" + fields + "}";
  }
}
