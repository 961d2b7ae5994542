package org.lambdadist.core.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of what the rules decided about one master record: an accepted event's
 * projected fields exactly as the parser produced them, or a rejection with the raw bytes. The
 * batch layer parses each epoch's JSON once, when it indexes the epoch, and keeps these records;
 * computing partial rows then decodes them instead of parsing JSON again. Decoding gives an
 * {@link Event} equal field for field to the parsed one (strings char for char, numbers with
 * their type and scale), so the aggregates cannot differ. Only valid with the projection it was
 * written with (the batch keeps it under the views' fingerprint).
 *
 * <p>Record: kind (0 accepted, 1 rejected, 2 accepted without fields), epoch, partition,
 * offset (varints); accepted: the timestamp millis (8 bytes), the event id, then every slot as a
 * tagged value; rejected: the reason's name, the message, the raw bytes; accepted without
 * fields: one byte, 1 when the event has an id. The raw {@code timestamp} and {@code event_id}
 * fields are carried only when a definition reads them as fields ({@link
 * FieldProjection#isWanted}); the event's time and id always are, in an accepted record.
 *
 * <p>An accepted event that no view aggregates (its type filtered out, say: most of a
 * clickstream for a view of clicks) is only counted, and skipped when it is a later copy, by
 * whoever reads the record for partial rows: {@link #writeAcceptedWithoutFields} keeps what that
 * takes, and reading it decodes nothing else.
 */
public final class ProjectedEvents {
  private static final byte ACCEPTED = 0;
  private static final byte REJECTED = 1;
  private static final byte ACCEPTED_WITHOUT_FIELDS = 2;
  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte DECIMAL = 3;
  private static final byte TRUE = 4;
  private static final byte FALSE = 5;
  /** A slot the parser keeps for its own checks but no definition reads (raw timestamp, event_id). */
  private static final byte NOT_CARRIED = 6;

  private ProjectedEvents() {}

  /** A growable byte buffer that records are appended to. */
  public static final class Buffer {
    private byte[] bytes = new byte[1 << 12];
    private int size;

    public byte[] bytes() {
      return bytes;
    }

    public int size() {
      return size;
    }

    public void clear() {
      size = 0;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    void put(byte b) {
      ensure(1);
      bytes[size++] = b;
    }

    void putBytes(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    void putVarLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[size++] = (byte) v;
    }

    void putLong(long v) {
      ensure(8);
      for (int i = 56; i >= 0; i -= 8) {
        bytes[size++] = (byte) (v >>> i);
      }
    }

    void putString(String s) {
      int n = s.length();
      boolean ascii = true;
      for (int i = 0; i < n && ascii; i++) {
        ascii = s.charAt(i) < 0x80;
      }
      putVarLong(((long) n << 1) | (ascii ? 0 : 1));
      if (ascii) {
        ensure(n);
        for (int i = 0; i < n; i++) {
          bytes[size++] = (byte) s.charAt(i);
        }
      } else {
        // Every UTF-16 unit as it is, so even a lone surrogate comes back unchanged.
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
          char c = s.charAt(i);
          bytes[size++] = (byte) (c >>> 8);
          bytes[size++] = (byte) c;
        }
      }
    }
  }

  /** Appends an accepted event (parsed with a projection) at its arrival position. */
  public static void writeAccepted(Buffer out, long epoch, int partition, long offset, Event event) {
    Object[] slots = event.slotValues();
    if (slots == null) {
      throw new IllegalArgumentException("the event was not parsed with a projection");
    }
    out.put(ACCEPTED);
    out.putVarLong(epoch);
    out.putVarLong(partition);
    out.putVarLong(offset);
    out.putLong(event.timestampMillis());
    writeValue(out, event.eventId());
    FieldProjection projection = event.projection();
    out.putVarLong(slots.length);
    for (int i = 0; i < slots.length; i++) {
      if (projection.isWanted(i)) {
        writeValue(out, slots[i]);
      } else {
        out.put(NOT_CARRIED);
      }
    }
  }

  /**
   * Appends an accepted event by its position and whether it has an id, without its time or
   * fields: for a reader that only counts it (no view aggregates it) and skips it when its
   * epoch's index lists it as a later copy.
   */
  public static void writeAcceptedWithoutFields(Buffer out, long epoch, int partition, long offset, Event event) {
    out.put(ACCEPTED_WITHOUT_FIELDS);
    out.putVarLong(epoch);
    out.putVarLong(partition);
    out.putVarLong(offset);
    out.put(event.eventId() == null ? (byte) 0 : (byte) 1);
  }

  /** Appends a rejected record with its raw bytes. */
  public static void writeRejected(Buffer out, long epoch, int partition, long offset, Rejection rejection,
                                   byte[] raw, int rawOffset, int rawLength) {
    out.put(REJECTED);
    out.putVarLong(epoch);
    out.putVarLong(partition);
    out.putVarLong(offset);
    out.putString(rejection.reason().name());
    out.putString(rejection.message() == null ? "" : rejection.message());
    out.putVarLong(rawLength);
    out.putBytes(raw, rawOffset, rawLength);
  }

  private static void writeValue(Buffer out, Object v) {
    if (v == null) {
      out.put(NULL);
    } else if (v instanceof String s) {
      out.put(STRING);
      out.putString(s);
    } else if (v instanceof Long l) {
      out.put(LONG);
      out.putLong(l);
    } else if (v instanceof BigDecimal d) {
      out.put(DECIMAL);
      int scale = d.scale();
      out.putVarLong(Integer.toUnsignedLong((scale << 1) ^ (scale >> 31)));
      byte[] unscaled = d.unscaledValue().toByteArray();
      out.putVarLong(unscaled.length);
      out.putBytes(unscaled, 0, unscaled.length);
    } else if (v instanceof Boolean b) {
      out.put(b ? TRUE : FALSE);
    } else {
      throw new IllegalArgumentException("a field value of type " + v.getClass().getName() + " has no binary form");
    }
  }

  /** Decodes records; reused (not thread-safe), one per reading thread. */
  public static final class Reader {
    private static final int CACHED_LENGTH = 48;
    private static final int CACHE_SIZE = 4096;
    private final String[] cache = new String[CACHE_SIZE];
    private final FieldProjection projection;
    private byte[] buf;
    private int pos;
    private int end;
    private boolean accepted;
    private boolean withFields;
    private boolean hasEventId;
    private long epoch;
    private int partition;
    private long offset;
    private Event event;
    private Rejection rejection;
    private int rawOffset;
    private int rawLength;

    public Reader(FieldProjection projection) {
      this.projection = projection;
    }

    /** Decodes the record at {@code bytes[off..off+len)}. */
    public void read(byte[] bytes, int off, int len) {
      buf = bytes;
      pos = off;
      end = off + len;
      byte kind = next();
      epoch = varLong();
      partition = (int) varLong();
      offset = varLong();
      if (kind == ACCEPTED) {
        accepted = true;
        withFields = true;
        rejection = null;
        long millis = fixedLong();
        // Ids are unique: never worth a cache slot, and each one would evict a repeating value.
        Object id = value(false);
        int n = (int) varLong();
        if (n != projection.size()) {
          throw new IllegalStateException("a record of " + n + " fields read with a projection of "
              + projection.size() + " (" + projection.paths() + ")");
        }
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
          values[i] = value();
        }
        event = new Event(millis, (String) id, projection, values);
        hasEventId = id != null;
      } else if (kind == ACCEPTED_WITHOUT_FIELDS) {
        accepted = true;
        withFields = false;
        rejection = null;
        event = null;
        byte id = next();
        if (id != 0 && id != 1) {
          throw new IllegalStateException("a malformed id flag " + id);
        }
        hasEventId = id == 1;
      } else if (kind == REJECTED) {
        accepted = false;
        withFields = false;
        hasEventId = false;
        event = null;
        RejectReason reason = RejectReason.valueOf(string(true));
        rejection = new Rejection(reason, string(false));
        rawLength = (int) varLong();
        rawOffset = pos;
        pos += rawLength;
      } else {
        throw new IllegalStateException("not a projected event record (kind " + kind + ")");
      }
      if (pos != end) {
        throw new IllegalStateException("a projected event record of " + len + " bytes ends at " + (pos - off));
      }
    }

    public boolean isAccepted() {
      return accepted;
    }

    public long epoch() {
      return epoch;
    }

    public int partition() {
      return partition;
    }

    public long offset() {
      return offset;
    }

    /** The accepted event with its time and fields; null for a rejection or an event written without them. */
    public Event event() {
      return event;
    }

    /** True when the record is an accepted event with its time and fields ({@link #event}). */
    public boolean hasFields() {
      return withFields;
    }

    /** True when the record is an accepted event that has an id. */
    public boolean hasEventId() {
      return hasEventId;
    }

    public Rejection rejection() {
      return rejection;
    }

    /** The rejected record's raw bytes are {@code buffer()[rawOffset() .. rawOffset()+rawLength())}. */
    public byte[] buffer() {
      return buf;
    }

    public int rawOffset() {
      return rawOffset;
    }

    public int rawLength() {
      return rawLength;
    }

    /**
     * Short ASCII values repeat (dimension values, types, users): the last string seen for each
     * hash slot is handed out again when its bytes match, so there is no new String per field and
     * its hash code is already computed when the aggregation table looks the key up.
     */
    private String cached(int n) {
      int h = n;
      for (int i = 0; i < n; i++) {
        h = 31 * h + buf[pos + i];
      }
      int slot = (h ^ (h >>> 16)) & (CACHE_SIZE - 1);
      String hit = cache[slot];
      if (hit != null && hit.length() == n) {
        boolean same = true;
        for (int i = 0; i < n && same; i++) {
          same = hit.charAt(i) == buf[pos + i];
        }
        if (same) {
          return hit;
        }
      }
      String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
      cache[slot] = s;
      return s;
    }

    private byte next() {
      if (pos >= end) {
        throw new IllegalStateException("a projected event record ends early");
      }
      return buf[pos++];
    }

    private long varLong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = next();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalStateException("a malformed varint");
    }

    private long fixedLong() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (next() & 0xFF);
      }
      return v;
    }

    private String string(boolean cacheable) {
      long header = varLong();
      int n = (int) (header >>> 1);
      if ((header & 1) == 0) {
        if (pos + n > end) {
          throw new IllegalStateException("a string past the record's end");
        }
        String s = cacheable && n <= CACHED_LENGTH ? cached(n) : new String(buf, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
      }
      if (pos + 2L * n > end) {
        throw new IllegalStateException("a string past the record's end");
      }
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) {
        chars[i] = (char) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
        pos += 2;
      }
      return new String(chars);
    }

    private Object value() {
      return value(true);
    }

    /** The next value; a short string from the cache when {@code cacheable}. */
    private Object value(boolean cacheable) {
      byte tag = next();
      switch (tag) {
        case NULL:
          return null;
        case STRING:
          return string(cacheable);
        case LONG:
          return fixedLong();
        case DECIMAL: {
          long z = varLong();
          int scale = (int) ((z >>> 1) ^ -(z & 1));
          int n = (int) varLong();
          if (n <= 0 || pos + n > end) {
            throw new IllegalStateException("a malformed decimal");
          }
          if (n <= 8) {
            long unscaled = buf[pos]; // sign-extended first byte, then the rest, big-endian
            for (int i = 1; i < n; i++) {
              unscaled = (unscaled << 8) | (buf[pos + i] & 0xFF);
            }
            pos += n;
            return BigDecimal.valueOf(unscaled, scale);
          }
          byte[] unscaled = Arrays.copyOfRange(buf, pos, pos + n);
          pos += n;
          return new BigDecimal(new BigInteger(unscaled), scale);
        }
        case NOT_CARRIED:
          return null;
        case TRUE:
          return Boolean.TRUE;
        case FALSE:
          return Boolean.FALSE;
        default:
          throw new IllegalStateException("an unknown value tag " + tag);
      }
    }
  }
}
