package org.lambdadist.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.PackageVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses one record (a Kafka message or a line of a file) into an {@link Event} with Jackson
 * streaming, per the event contract of docs/events-and-views.md. Never throws on any input bytes: every
 * failure is a {@link ParseResult#rejected rejection} with a {@link RejectReason}.
 *
 * <p>The record-level bounds of {@link EventLimits} are checked here, identically in every
 * layer: the size, strict UTF-8 of the whole record, the nesting depth and number length (as
 * Jackson {@link StreamReadConstraints} set explicitly, never the library's defaults, and checked
 * for every number, also inside arrays), the plausible time range, and the {@code event_id}'s
 * length and encoding. The limits on values a view uses are {@link org.lambdadist.core.rules.EventRules}'.
 *
 * <p>Choices where the contract is silent: malformed JSON is {@code NOT_JSON_OBJECT}; a numeric
 * string timestamp is epoch millis; an integral {@code event_id} is taken as its decimal text;
 * trailing content after the object is malformed; arrays are skipped (not addressable); of
 * duplicate keys the last wins. Instances are immutable and thread-safe.
 */
public final class EventParser {
  /** The default size limit of one record, 64 KiB. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  public static final String TIMESTAMP_FIELD = "timestamp";
  public static final String EVENT_ID_FIELD = "event_id";

  /** Stands for an object or array given as {@code timestamp} or {@code event_id}. */
  private static final Object NON_SCALAR = new Object() {
    @Override
    public String toString() {
      return "an object or array";
    }
  };

  private final JsonFactory factory;
  private final EventLimits limits;

  /** A parser with the default limits. */
  public EventParser() {
    this(EventLimits.defaults());
  }

  /** A parser with the default limits but this record size limit. */
  public EventParser(int maxBytes) {
    this(EventLimits.defaults().withMaxRecordBytes(maxBytes));
  }

  public EventParser(EventLimits limits) {
    this.limits = limits;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth())
            .maxNumberLength(limits.maxNumberLength())
            .maxStringLength(limits.maxRecordBytes())
            .maxNameLength(limits.maxRecordBytes())
            .maxDocumentLength(limits.maxRecordBytes())
            .build())
        .build();
  }

  public int maxBytes() {
    return limits.maxRecordBytes();
  }

  public EventLimits limits() {
    return limits;
  }

  /** The Jackson version this parser runs on (the same in every layer: the job jars relocate it). */
  public static String jacksonVersion() {
    return PackageVersion.VERSION.toString();
  }

  public ParseResult parse(byte[] record) {
    return parse(record, 0, record.length);
  }

  /** Parses {@code length} bytes of {@code buffer} from {@code offset}, keeping every field. */
  public ParseResult parse(byte[] buffer, int offset, int length) {
    return parse(buffer, offset, length, null);
  }

  /**
   * Parses {@code length} bytes of {@code buffer} from {@code offset}, keeping only the fields of
   * {@code projection} (every field when null). Every token is read and checked either way, so
   * a record is accepted with a projection iff without one, and the kept fields have the same
   * values.
   */
  public ParseResult parse(byte[] buffer, int offset, int length, FieldProjection projection) {
    if (length > limits.maxRecordBytes()) {
      return ParseResult.rejected(RejectReason.TOO_LARGE,
          "record is " + length + " bytes, over the limit of " + limits.maxRecordBytes());
    }
    int bad = Utf8.firstInvalid(buffer, offset, length);
    if (bad >= 0) {
      return ParseResult.rejected(RejectReason.BAD_ENCODING, "not valid UTF-8 at byte " + (bad - offset));
    }
    try (JsonParser p = factory.createParser(buffer, offset, length)) {
      return parseObject(p, projection == null ? new MapSink() : new SlotSink(projection));
    } catch (StreamConstraintsException e) {
      return ParseResult.rejected(RejectReason.OVER_LIMIT, firstLine(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      // Jackson reports malformed input as exceptions.
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "malformed JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Where the parser puts the fields it keeps. */
  private interface Sink {
    /** True when the scalar at {@code path} is kept. */
    boolean keeps(String path);

    /** True when the object at {@code path} may hold kept fields. */
    boolean descends(String path);

    void put(String path, Object value);

    Object get(String path);

    Event event(long millis, String eventId);
  }

  /** Every field, in a map. */
  private static final class MapSink implements Sink {
    private final Map<String, Object> fields = new HashMap<>(64); // 64: no rehash for typical events

    @Override
    public boolean keeps(String path) {
      return true;
    }

    @Override
    public boolean descends(String path) {
      return true;
    }

    @Override
    public void put(String path, Object value) {
      if (value == null) {
        fields.remove(path);
      } else {
        fields.put(path, value);
      }
    }

    @Override
    public Object get(String path) {
      return fields.get(path);
    }

    @Override
    public Event event(long millis, String eventId) {
      return new Event(millis, eventId, fields);
    }
  }

  /** The fields of a projection, by slot. */
  private static final class SlotSink implements Sink {
    private final FieldProjection projection;
    private final Object[] values;
    /** The path {@link #keeps} last looked up and its slot, so {@link #put} needs no lookup. */
    private String lastPath;
    private int lastSlot;

    SlotSink(FieldProjection projection) {
      this.projection = projection;
      this.values = new Object[projection.size()];
    }

    @Override
    public boolean keeps(String path) {
      lastPath = path;
      lastSlot = path.indexOf('.') < 0 ? projection.slotOfName(path) : projection.slot(path);
      return lastSlot >= 0;
    }

    @Override
    public boolean descends(String path) {
      return projection.isPrefix(path);
    }

    @Override
    public void put(String path, Object value) {
      values[path == lastPath ? lastSlot : projection.slot(path)] = value;
    }

    @Override
    public Object get(String path) {
      return values[projection.slot(path)];
    }

    @Override
    public Event event(long millis, String eventId) {
      return new Event(millis, eventId, projection, values);
    }
  }

  private ParseResult parseObject(JsonParser p, Sink fields) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "empty record");
    }
    if (first != JsonToken.START_OBJECT) {
      return ParseResult.rejected(RejectReason.NOT_JSON_OBJECT, "expected a JSON object, found " + describe(first));
    }
    readObject(p, null, fields, 1);
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
    if (!limits.isPlausibleTime(millis)) {
      return ParseResult.rejected(RejectReason.BAD_TIMESTAMP, "\"timestamp\" " + Timestamps.describe(millis)
          + " is outside the plausible range " + Timestamps.describe(limits.minTimestampMillis()) + " .. "
          + Timestamps.describe(limits.maxTimestampMillis()));
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
    if (eventId != null) {
      if (Utf8.hasLoneSurrogate(eventId)) {
        return ParseResult.rejected(RejectReason.BAD_ENCODING, "\"event_id\" holds an unpaired surrogate");
      }
      int bytes = Utf8.encodedLength(eventId);
      if (bytes > limits.maxValueBytes()) {
        return ParseResult.rejected(RejectReason.VALUE_TOO_LONG, "\"event_id\" is " + bytes
            + " bytes, over the limit of " + limits.maxValueBytes());
      }
    }
    return ParseResult.accepted(fields.event(millis, eventId));
  }

  /** Reads the members of an object whose START_OBJECT was just consumed. */
  private void readObject(JsonParser p, String prefix, Sink fields, int depth) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String path = prefix == null ? name : prefix + '.' + name;
      JsonToken v = p.nextToken();
      if (depth == 1 && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)
          && (name.equals(TIMESTAMP_FIELD) || name.equals(EVENT_ID_FIELD))) {
        skipValue(p);
        fields.put(path, NON_SCALAR);
        continue;
      }
      if (v == JsonToken.START_OBJECT) {
        if (fields.descends(path)) {
          readObject(p, path, fields, depth + 1);
        } else {
          skipValue(p);
        }
        continue;
      }
      if (v == JsonToken.START_ARRAY) {
        skipValue(p);
        continue;
      }
      if (!fields.keeps(path)) {
        checkSkippedScalar(p, v);
        continue;
      }
      Object value;
      switch (v) {
        case VALUE_STRING -> value = p.getText();
        case VALUE_NUMBER_INT -> value = integral(p);
        case VALUE_NUMBER_FLOAT -> {
          checkNumberLength(p);
          value = p.getDecimalValue();
        }
        case VALUE_TRUE -> value = Boolean.TRUE;
        case VALUE_FALSE -> value = Boolean.FALSE;
        case VALUE_NULL -> value = null;
        default -> throw new IOException("unexpected token " + v);
      }
      fields.put(path, value);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected token " + t);
    }
  }

  /**
   * The checks a kept scalar would meet, for one that is not kept: a number's length, and for a
   * number with an exponent that it converts (an exponent beyond an int fails, as when kept).
   */
  private void checkSkippedScalar(JsonParser p, JsonToken v) throws IOException {
    switch (v) {
      case VALUE_NUMBER_INT -> checkNumberLength(p);
      case VALUE_NUMBER_FLOAT -> {
        checkNumberLength(p);
        if (hasExponent(p)) {
          p.getDecimalValue();
        }
      }
      case VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> { }
      default -> throw new IOException("unexpected token " + v);
    }
  }

  private static boolean hasExponent(JsonParser p) throws IOException {
    char[] text = p.getTextCharacters();
    int end = p.getTextOffset() + p.getTextLength();
    for (int i = p.getTextOffset(); i < end; i++) {
      if (text[i] == 'e' || text[i] == 'E') {
        return true;
      }
    }
    return false;
  }

  /**
   * Skips the object or array just started, token by token, so every number in it meets the
   * same length limit as a kept one (Jackson checks a number's length when it is read).
   */
  private void skipValue(JsonParser p) throws IOException {
    int open = 1;
    while (open > 0) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("unexpected end of input");
      }
      switch (t) {
        case START_OBJECT, START_ARRAY -> open++;
        case END_OBJECT, END_ARRAY -> open--;
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> checkNumberLength(p);
        default -> { }
      }
    }
  }

  private void checkNumberLength(JsonParser p) throws IOException {
    int n = p.getTextLength();
    if (n > limits.maxNumberLength()) {
      throw new StreamConstraintsException("number of " + n + " characters is longer than the limit of "
          + limits.maxNumberLength() + " (" + "lambda.event.max-number-length)");
    }
  }

  private Object integral(JsonParser p) throws IOException {
    checkNumberLength(p);
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

  /** At most 120 characters, never cutting a surrogate pair in two. */
  static String abbreviate(String s) {
    if (s.length() <= 120) {
      return s;
    }
    int cut = Character.isHighSurrogate(s.charAt(116)) ? 116 : 117;
    return s.substring(0, cut) + "...";
  }
}
