package org.lambdadist.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;

/**
 * View key bytes, version 1:
 * <pre>
 *   0x01                                  format version
 *   u32 length, UTF-8 bytes               view name
 *   u8 count                              number of dimension values
 *   per value: 0x00 (null) | 0x01, u32 length, UTF-8 bytes
 *   u8                                    granularity code (minute 1, hour 2, day 3)
 *   u64 bucket start millis XOR 2^63      so unsigned byte order is numeric order
 * </pre>
 * All integers are big-endian. Length prefixes let a value hold any byte (no escaping) and
 * make each field prefix-free, so comparing keys as unsigned bytes orders them by (view,
 * dimension values, granularity, bucket time): one key's time series is one contiguous range,
 * which {@link #seriesPrefix} gives for scans. Within a field, shorter values sort first.
 */
public final class ViewKeyCodec {
  public static final byte VERSION = 1;

  private ViewKeyCodec() {}

  public static byte[] encode(ViewKey key) {
    byte[] prefix = seriesPrefix(key.view(), key.dimensions(), key.granularity());
    ByteBuffer buf = ByteBuffer.allocate(prefix.length + 8);
    buf.put(prefix);
    buf.putLong(key.bucketStart() ^ Long.MIN_VALUE);
    return buf.array();
  }

  /** The bytes every key of one series (view, dimension values, granularity) starts with. */
  public static byte[] seriesPrefix(String view, List<String> dimensions, Granularity granularity) {
    if (dimensions.size() > 255) {
      throw new IllegalArgumentException("at most 255 dimensions: " + dimensions.size());
    }
    byte[] viewBytes = view.getBytes(StandardCharsets.UTF_8);
    byte[][] dimBytes = new byte[dimensions.size()][];
    int size = 1 + 4 + viewBytes.length + 1 + 1;
    for (int i = 0; i < dimBytes.length; i++) {
      String d = dimensions.get(i);
      dimBytes[i] = d == null ? null : d.getBytes(StandardCharsets.UTF_8);
      size += 1 + (d == null ? 0 : 4 + dimBytes[i].length);
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.put(VERSION);
    buf.putInt(viewBytes.length).put(viewBytes);
    buf.put((byte) dimBytes.length);
    for (byte[] d : dimBytes) {
      if (d == null) {
        buf.put((byte) 0);
      } else {
        buf.put((byte) 1).putInt(d.length).put(d);
      }
    }
    buf.put(granularity.code());
    return buf.array();
  }

  /** The length of the key of a view row with these dimension values (any granularity and bucket). */
  public static int encodedLength(String view, List<String> dimensions) {
    int size = 1 + 4 + org.lambdadist.core.event.Utf8.encodedLength(view) + 1 + 1 + 8;
    for (String d : dimensions) {
      size += 1 + (d == null ? 0 : 4 + org.lambdadist.core.event.Utf8.encodedLength(d));
    }
    return size;
  }

  /** The longest key a view can have when every dimension value holds at most {@code maxValueBytes}. */
  public static long maxEncodedLength(String view, int dimensions, int maxValueBytes) {
    return 1 + 4 + org.lambdadist.core.event.Utf8.encodedLength(view) + 1 + 1 + 8
        + (long) dimensions * (1 + 4 + maxValueBytes);
  }

  public static ViewKey decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static ViewKey decode(byte[] bytes, int offset, int length) {
    ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
    try {
      checkVersion(buf);
      String view = string(buf);
      int count = Byte.toUnsignedInt(buf.get());
      List<String> dims = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte present = buf.get();
        if (present == 0) {
          dims.add(null);
        } else if (present == 1) {
          dims.add(string(buf));
        } else {
          throw new CodecException("bad dimension marker " + present);
        }
      }
      byte code = buf.get();
      Granularity g = Granularity.fromCode(code);
      if (g == null) {
        throw new CodecException("unknown granularity code " + code);
      }
      long bucket = buf.getLong() ^ Long.MIN_VALUE;
      if (buf.hasRemaining()) {
        throw new CodecException(buf.remaining() + " trailing bytes after the key");
      }
      return new ViewKey(view, dims, g, bucket);
    } catch (java.nio.BufferUnderflowException e) {
      throw new CodecException("truncated view key of " + length + " bytes", e);
    }
  }

  /** The view name of an encoded key, without decoding the rest. */
  public static String viewOf(byte[] bytes, int offset, int length) {
    ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
    try {
      checkVersion(buf);
      return string(buf);
    } catch (java.nio.BufferUnderflowException e) {
      throw new CodecException("truncated view key of " + length + " bytes", e);
    }
  }

  private static void checkVersion(ByteBuffer buf) {
    byte version = buf.get();
    if (version != VERSION) {
      throw new CodecException("unknown view key version " + version + " (this build reads " + VERSION + ")");
    }
  }

  private static String string(ByteBuffer buf) {
    int len = buf.getInt();
    if (len < 0 || len > buf.remaining()) {
      throw new CodecException("bad length " + len + " with " + buf.remaining() + " bytes left");
    }
    ByteBuffer slice = buf.slice();
    slice.limit(len);
    buf.position(buf.position() + len);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new CodecException("a key field is not UTF-8", e);
    }
  }
}
