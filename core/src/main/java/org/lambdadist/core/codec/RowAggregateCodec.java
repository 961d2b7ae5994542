package org.lambdadist.core.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.lambdadist.core.aggregate.MetricState;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.view.MetricType;

/**
 * Row aggregate bytes, version 1: {@code 0x01}, a u8 count of metrics, then per metric its
 * type tag ({@link MetricType#tag()}) and the state's body. Self-describing, so a merge needs
 * no view definition; equal aggregates (same exact sums, same extreme values, same sketch) write
 * equal bytes for count, sum, min, max and avg.
 */
public final class RowAggregateCodec {
  public static final byte VERSION = 1;

  private RowAggregateCodec() {}

  public static byte[] encode(RowAggregate row) {
    ArrayDataOutput out = new ArrayDataOutput(16 + 16 * row.size());
    try {
      out.writeByte(VERSION);
      out.writeByte(row.size());
      for (int i = 0; i < row.size(); i++) {
        MetricState s = row.state(i);
        out.writeByte(s.type().tag());
        s.write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * The encoded merge of encoded rows: the row monoid's {@code plus} on bytes, in order. The one
   * merge of stored rows (the batch combiner and reducer, the speed layer's cells): a single
   * partial passes through as it is, never decoded.
   */
  public static byte[] merge(List<byte[]> encoded) {
    if (encoded.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    if (encoded.size() == 1) {
      return encoded.get(0);
    }
    RowAggregate row = decode(encoded.get(0));
    for (int i = 1; i < encoded.size(); i++) {
      row.merge(decode(encoded.get(i)));
    }
    return encode(row);
  }

  /** {@link #merge(List)} of two. */
  public static byte[] merge(byte[] left, byte[] right) {
    return merge(List.of(left, right));
  }

  public static RowAggregate decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static RowAggregate decode(byte[] bytes, int offset, int length) {
    try {
      ArrayDataInput in = new ArrayDataInput(bytes, offset, length);
      byte version = in.readByte();
      if (version != VERSION) {
        throw new CodecException("unknown aggregate version " + version + " (this build reads " + VERSION + ")");
      }
      int n = Byte.toUnsignedInt(in.readByte());
      MetricState[] states = new MetricState[n];
      for (int i = 0; i < n; i++) {
        byte tag = in.readByte();
        MetricType type = MetricType.fromTag(tag);
        if (type == null) {
          throw new CodecException("unknown metric tag " + tag + " at metric " + i);
        }
        states[i] = MetricState.read(type, in);
      }
      if (in.available() > 0) {
        throw new CodecException(in.available() + " trailing bytes after the aggregate");
      }
      return new RowAggregate(states);
    } catch (IOException e) {
      throw new CodecException("corrupt aggregate of " + length + " bytes: " + e.getMessage(), e);
    }
  }
}
