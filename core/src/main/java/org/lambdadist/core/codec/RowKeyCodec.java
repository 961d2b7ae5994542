package org.lambdadist.core.codec;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;

/**
 * Serving-store row keys: one salt byte, then the {@link ViewKeyCodec} bytes of the view key.
 *
 * <p>The salt is {@code CRC-32(view key bytes up to, not including, the granularity) mod}
 * {@link #SALT_BUCKETS}: it depends only on the view and the dimension values, so every
 * granularity and bucket of one key sits in one salt range and one key's time series is one
 * contiguous scan ({@link #seriesStart}, {@link #seriesStop}), while different keys spread over
 * the pre-split regions ({@link #splitKeys}). CRC-32 is fixed by its standard, so any client
 * in any language computes the same salt. The number of buckets is part of the format.
 */
public final class RowKeyCodec {
  /** The longest row key HBase stores ({@code HConstants.MAX_ROW_LENGTH}). */
  public static final int MAX_ROW_KEY_BYTES = Short.MAX_VALUE;

  /** Salt values 0..15; tables are pre-split on runs of them ({@link #splitKeys(int)}). */
  public static final int SALT_BUCKETS = 16;

  private RowKeyCodec() {}

  public static byte[] encode(ViewKey key) {
    byte[] viewKey = ViewKeyCodec.encode(key);
    return salted(salt(viewKey, viewKey.length - 9), viewKey);
  }

  /** The row key of already encoded {@link ViewKeyCodec} bytes (as the batch view files hold). */
  public static byte[] fromViewKeyBytes(byte[] viewKey, int offset, int length) {
    if (length < 10 || viewKey[offset] != ViewKeyCodec.VERSION) {
      throw new CodecException("not a view key of version " + ViewKeyCodec.VERSION + " (" + length + " bytes)");
    }
    byte[] row = new byte[length + 1];
    System.arraycopy(viewKey, offset, row, 1, length);
    CRC32 crc = new CRC32();
    crc.update(viewKey, offset, length - 9);
    row[0] = (byte) (crc.getValue() % SALT_BUCKETS);
    return row;
  }

  /** The length of the row key of a view row with these dimension values (any granularity and bucket). */
  public static int encodedLength(String view, List<String> dimensions) {
    return 1 + ViewKeyCodec.encodedLength(view, dimensions);
  }

  /** The longest row key a view can have when every dimension value holds at most {@code maxValueBytes}. */
  public static long maxEncodedLength(String view, int dimensions, int maxValueBytes) {
    return 1 + ViewKeyCodec.maxEncodedLength(view, dimensions, maxValueBytes);
  }

  public static ViewKey decode(byte[] rowKey) {
    return decode(rowKey, 0, rowKey.length);
  }

  public static ViewKey decode(byte[] rowKey, int offset, int length) {
    if (length < 1) {
      throw new CodecException("empty row key");
    }
    ViewKey key = ViewKeyCodec.decode(rowKey, offset + 1, length - 1);
    byte[] viewKey = Arrays.copyOfRange(rowKey, offset + 1, offset + length);
    byte expected = salt(viewKey, viewKey.length - 9);
    if (rowKey[offset] != expected) {
      throw new CodecException("row key salt " + rowKey[offset] + " does not match its key (expected " + expected + ")");
    }
    return key;
  }

  /**
   * The bucket start of a row key known to lie inside one series' range (between its
   * {@link #seriesStart} and {@link #seriesStop}): its last 8 bytes, without decoding the
   * dimension values. A lookup's scan only returns such rows.
   */
  public static long bucketStartOfSeriesRow(byte[] rowKey) {
    if (rowKey.length < 11) {
      throw new CodecException("a row key of " + rowKey.length + " bytes is not a view row");
    }
    long v = 0;
    for (int i = rowKey.length - 8; i < rowKey.length; i++) {
      v = (v << 8) | (rowKey[i] & 0xFF);
    }
    return v ^ Long.MIN_VALUE;
  }

  /** The first row key of a series at or after {@code fromMillis} (inclusive). */
  public static byte[] seriesStart(String view, List<String> dimensions, Granularity g, long fromMillis) {
    return encode(new ViewKey(view, dimensions, g, fromMillis));
  }

  /** The row key bound before {@code toMillis} (exclusive) of a series. */
  public static byte[] seriesStop(String view, List<String> dimensions, Granularity g, long toMillis) {
    return encode(new ViewKey(view, dimensions, g, toMillis));
  }

  /** The split points of a pre-split table: one region per salt value. */
  public static byte[][] splitKeys() {
    return splitKeys(SALT_BUCKETS);
  }

  /**
   * The split points of a table pre-split into {@code regions} regions of equal runs of salt
   * values: {@code regions} must divide {@value #SALT_BUCKETS} (1, 2, 4, 8 or 16). Every key's
   * series stays in one region whatever the number, since it has one salt.
   */
  public static byte[][] splitKeys(int regions) {
    if (regions < 1 || regions > SALT_BUCKETS || SALT_BUCKETS % regions != 0) {
      throw new IllegalArgumentException("regions must divide " + SALT_BUCKETS + " (1, 2, 4, 8 or 16): " + regions);
    }
    int saltsPerRegion = SALT_BUCKETS / regions;
    byte[][] splits = new byte[regions - 1][];
    for (int i = 1; i < regions; i++) {
      splits[i - 1] = new byte[] {(byte) (i * saltsPerRegion)};
    }
    return splits;
  }

  private static byte salt(byte[] viewKey, int seriesLength) {
    CRC32 crc = new CRC32();
    crc.update(viewKey, 0, seriesLength);
    return (byte) (crc.getValue() % SALT_BUCKETS);
  }

  private static byte[] salted(byte salt, byte[] viewKey) {
    byte[] row = new byte[viewKey.length + 1];
    row[0] = salt;
    System.arraycopy(viewKey, 0, row, 1, viewKey.length);
    return row;
  }

  /** A realtime cell's qualifier: the arrival epoch, 8 bytes big-endian. */
  public static byte[] epochQualifier(long epoch) {
    byte[] q = new byte[8];
    for (int i = 7; i >= 0; i--) {
      q[i] = (byte) epoch;
      epoch >>>= 8;
    }
    return q;
  }

  public static long epochOfQualifier(byte[] q, int offset, int length) {
    if (length != 8) {
      throw new CodecException("an epoch qualifier has 8 bytes, not " + length);
    }
    long epoch = 0;
    for (int i = 0; i < 8; i++) {
      epoch = (epoch << 8) | (q[offset + i] & 0xFF);
    }
    return epoch;
  }
}
