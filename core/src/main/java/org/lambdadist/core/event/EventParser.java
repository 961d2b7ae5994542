package org.lambdadist.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses one record (a Kafka message or a line of a file) into an {@link Event} with Jackson
 * streaming, per the event contract of ARCHITECTURE.md. Never throws on any input bytes: every
 * failure is a {@link ParseResult#rejected rejection} with a {@link RejectReason}.
 *
 * <p>Choices where the contract is silent: malformed JSON is {@code NOT_JSON_OBJECT}; a numeric
 * string timestamp is epoch millis; an integral {@code event_id} is taken as its decimal text;
 * trailing content after the object is malformed; arrays are skipped (not addressable); of
 * duplicate keys the last wins.
 * Instances are immutable and thread-safe.
 */
public final class EventParser {
  /** The default size limit of one record, 64 KiB. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  public static final String TIMESTAMP_FIELD = "timestamp";
  public static final String EVENT_ID_FIELD = "event_id";

  private static final int MAX_DEPTH = 32;

  /** Stands for an object or array given as {@code timestamp} or {@code event_id}. */
  private static final Object NON_SCALAR = new Object() {
    @Override
    public String toString() {
      return "an object or array";
    }
  };

  private final JsonFactory factory;
  private final int maxBytes;

  public EventParser() {
    this(DEFAULT_MAX_BYTES);
  }

  public EventParser(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("size limit must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.factory = new JsonFactory();
  }

  public int maxBytes() {
    return maxBytes;
  }

  public ParseResult parse(byte[] record) {
    return parse(record, 0, record.length);
  }

  /** Parses {@code length} bytes of {@code buffer} from {@code offset}. */
  public ParseResult parse(byte[] buffer, int offset, int length) {
    return parse(buffer, offset, length, true);
  }

  /**
   * Accepts or rejects a record exactly as {@link #parse} does (the same reads of every value,
   * so the same failures), but keeps only {@code timestamp} and {@code event_id} in the event:
   * for passes that need an event's identity, not its fields (finding duplicate ids).
   */
  public ParseResult parseIdentity(byte[] buffer, int offset, int length) {
    return parse(buffer, offset, length, false);
  }

  private ParseResult parse(byte[] buffer, int offset, int length, boolean keepFields) {
    if (length > maxBytes) {
      return ParseResult.rejected(RejectReason.TOO_LARGE,
          "record is " + length + " bytes, over the limit of " + maxBytes);
    }
    try (JsonParser p = factory.createParser(buffer, offset, length)) {
      return parseObject(p, keepFields);
    } catch (IOException | RuntimeException e) {
      // Jackson reports malformed input and bad UTF-8 as exceptions.
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  private ParseResult parseObject(JsonParser p, boolean keepFields) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "empty record");
    }
    if (first != JsonToken.START_OBJECT) {
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "expected a JSON object, found " + describe(first));
    }
    Map<String, Object> fields = new HashMap<>(keepFields ? 64 : 4); // 64: no rehash for typical events
    readObject(p, null, fields, 1, keepFields);
    if (p.nextToken() != null) {
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "content after the JSON object");
    }
    Object ts = fields.get(TIMESTAMP_FIELD);
    if (ts == null) {
      return ParseResult.rejected(RejectReason.MISSING_TIMESTAMP, "no \"timestamp\" field");
    }
    long millis;
    if (ts instanceof Long l) {
      millis = l;
    } else if (ts instanceof String s) {
      millis = Timestamps.parseText(s);
      if (millis == Long.MIN_VALUE) {
        return ParseResult.rejected(RejectReason.BAD_TIMESTAMP,
            "\"timestamp\" is not an ISO-8601 instant with zone or epoch millis: " + abbreviate(s));
      }
    } else {
      return ParseResult.rejected(RejectReason.BAD_TIMESTAMP,
          "\"timestamp\" must be an ISO-8601 string or integer epoch millis, found " + abbreviate(String.valueOf(ts)));
    }
    Object id = fields.get(EVENT_ID_FIELD);
    String eventId = null;
    if (id instanceof String s) {
      eventId = s;
    } else if (id instanceof Long l) {
      eventId = Long.toString(l);
    } else if (id != null) {
      return ParseResult.rejected(RejectReason.BAD_EVENT_ID,
          "\"event_id\" must be a string or an integer, found " + abbreviate(String.valueOf(id)));
    }
    return ParseResult.accepted(new Event(millis, eventId, fields));
  }

  /**
   * Reads the members of an object whose START_OBJECT was just consumed. Without
   * {@code keepFields} every value is still read (the same checks) but only the top-level
   * timestamp and event id are kept.
   */
  private void readObject(JsonParser p, String prefix, Map<String, Object> fields, int depth, boolean keepFields)
      throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("objects nested deeper than " + MAX_DEPTH);
    }
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      boolean keep = keepFields || (depth == 1 && (name.equals(TIMESTAMP_FIELD) || name.equals(EVENT_ID_FIELD)));
      String path = !keepFields ? name : prefix == null ? name : prefix + '.' + name;
      JsonToken v = p.nextToken();
      if (depth == 1 && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)
          && (name.equals(TIMESTAMP_FIELD) || name.equals(EVENT_ID_FIELD))) {
        p.skipChildren();
        fields.put(path, NON_SCALAR);
        continue;
      }
      Object value;
      switch (v) {
        case START_OBJECT -> {
          readObject(p, path, fields, depth + 1, keepFields);
          continue;
        }
        case START_ARRAY -> {
          p.skipChildren();
          continue;
        }
        case VALUE_STRING -> value = p.getText();
        case VALUE_NUMBER_INT -> value = integral(p);
        case VALUE_NUMBER_FLOAT -> value = p.getDecimalValue();
        case VALUE_TRUE -> value = Boolean.TRUE;
        case VALUE_FALSE -> value = Boolean.FALSE;
        case VALUE_NULL -> value = null;
        default -> throw new IOException("unexpected token " + v);
      }
      if (!keep) {
        continue;
      }
      if (value == null) {
        fields.remove(path);
      } else {
        fields.put(path, value);
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected token " + t);
    }
  }

  private static Object integral(JsonParser p) throws IOException {
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return new BigDecimal(p.getBigIntegerValue());
    }
    return p.getLongValue();
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    return abbreviate(nl < 0 ? message : message.substring(0, nl));
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
