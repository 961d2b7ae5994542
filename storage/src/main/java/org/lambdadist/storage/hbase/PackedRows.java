package org.lambdadist.storage.hbase;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * One key's batch rows in one range as HBase stores them: each row's bucket start and encoded
 * aggregate, back to back in one array, in the order read. This is the form the serving layer
 * caches: one object per entry and the stored bytes. Decoded aggregates (a distinct sketch, an
 * exact sum) took about 2 KB and a dozen objects a row: the default cache was most of the API's
 * live heap (232 MB against 61 MB as stored), and filling it made a 100-key lookup slower than
 * no cache. Decoding an entry again on a hit costs what decoding a scan's cells costs. Immutable.
 */
public final class PackedRows {
  /** No rows. */
  public static final PackedRows EMPTY = new PackedRows(new byte[0], 0);

  private final byte[] bytes;
  private final int rows;

  private PackedRows(byte[] bytes, int rows) {
    this.bytes = bytes;
    this.rows = rows;
  }

  /** How many rows. */
  public int rows() {
    return rows;
  }

  /** The rows by bucket start, decoded; unmodifiable. */
  public NavigableMap<Long, RowAggregate> decode() {
    TreeMap<Long, RowAggregate> decoded = new TreeMap<>();
    int at = 0;
    for (int r = 0; r < rows; r++) {
      long bucket = (long) readInt(at) << 32 | Integer.toUnsignedLong(readInt(at + 4));
      int length = readInt(at + 8);
      decoded.put(bucket, RowAggregateCodec.decode(bytes, at + 12, length));
      at += 12 + length;
    }
    return Collections.unmodifiableNavigableMap(decoded);
  }

  private int readInt(int at) {
    return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
  }

  /** Collects rows. */
  public static final class Builder {
    private byte[] bytes = new byte[256];
    private int size;
    private int rows;

    /** Adds a row: its bucket start and its encoded aggregate {@code value[offset, offset + length)}. */
    public Builder add(long bucket, byte[] value, int offset, int length) {
      if (size + 12 + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + 12 + length));
      }
      writeInt((int) (bucket >>> 32));
      writeInt((int) bucket);
      writeInt(length);
      System.arraycopy(value, offset, bytes, size, length);
      size += length;
      rows++;
      return this;
    }

    private void writeInt(int v) {
      bytes[size] = (byte) (v >>> 24);
      bytes[size + 1] = (byte) (v >>> 16);
      bytes[size + 2] = (byte) (v >>> 8);
      bytes[size + 3] = (byte) v;
      size += 4;
    }

    /** The rows added, in an array of exactly their size. */
    public PackedRows build() {
      return rows == 0 ? EMPTY : new PackedRows(Arrays.copyOf(bytes, size), rows);
    }
  }
}
