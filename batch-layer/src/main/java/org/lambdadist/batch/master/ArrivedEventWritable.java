package org.lambdadist.batch.master;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.io.WritableUtils;

/**
 * One record of the master dataset: the raw event bytes exactly as they arrived, and where and
 * when they arrived: the epoch, the partition (a Kafka partition, or an imported file's index
 * in its import) and the offset (a Kafka offset, or the line number in that file), and the
 * arrival time. (epoch, partition, offset) is unique and orders arrivals: of duplicate events
 * the first arrival wins.
 */
public final class ArrivedEventWritable implements Writable {
  private long epoch;
  private int partition;
  private long offset;
  private long arrivalMillis;
  private byte[] raw = new byte[0];
  private int length;

  public ArrivedEventWritable() {}

  public ArrivedEventWritable(long epoch, int partition, long offset, long arrivalMillis, byte[] raw, int length) {
    set(epoch, partition, offset, arrivalMillis, raw, length);
  }

  public void set(long epoch, int partition, long offset, long arrivalMillis, byte[] bytes, int length) {
    this.epoch = epoch;
    this.partition = partition;
    this.offset = offset;
    this.arrivalMillis = arrivalMillis;
    if (raw.length < length) {
      raw = new byte[Math.max(length, raw.length * 2)];
    }
    System.arraycopy(bytes, 0, raw, 0, length);
    this.length = length;
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

  public long arrivalMillis() {
    return arrivalMillis;
  }

  /** The buffer holding the raw bytes; valid up to {@link #length()}. */
  public byte[] rawBuffer() {
    return raw;
  }

  public int length() {
    return length;
  }

  /** Sets {@code position} to where this record arrived. */
  @Override
  public void write(DataOutput out) throws IOException {
    // WritableUtils' variable-length longs, encoded here into one array: written byte by byte
    // through the stream they were a sixth of import's copying thread.
    int n = putVLong(header, 0, epoch);
    n = putVLong(header, n, partition);
    n = putVLong(header, n, offset);
    n = putVLong(header, n, arrivalMillis);
    n = putVLong(header, n, length);
    out.write(header, 0, n);
    out.write(raw, 0, length);
  }

  /** Room for five variable-length longs of at most 9 bytes each. */
  private final byte[] header = new byte[45];

  /**
   * Writes {@code v} at {@code at} exactly as {@link WritableUtils#writeVLong} does (one byte for
   * -112..127, else a length byte and the big-endian bytes, one's complement for negatives);
   * returns the position after it.
   */
  static int putVLong(byte[] buf, int at, long v) {
    if (v >= -112 && v <= 127) {
      buf[at] = (byte) v;
      return at + 1;
    }
    int len = -112;
    if (v < 0) {
      v ^= -1L;
      len = -120;
    }
    for (long tmp = v; tmp != 0; tmp >>= 8) {
      len--;
    }
    buf[at++] = (byte) len;
    int bytes = len < -120 ? -(len + 120) : -(len + 112);
    for (int idx = bytes; idx != 0; idx--) {
      buf[at++] = (byte) (v >> ((idx - 1) * 8));
    }
    return at;
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    epoch = WritableUtils.readVLong(in);
    partition = WritableUtils.readVInt(in);
    offset = WritableUtils.readVLong(in);
    arrivalMillis = WritableUtils.readVLong(in);
    int n = WritableUtils.readVInt(in);
    if (n < 0) {
      throw new IOException("negative record length " + n);
    }
    if (raw.length < n) {
      raw = new byte[Math.max(n, raw.length * 2)];
    }
    in.readFully(raw, 0, n);
    length = n;
  }

  @Override
  public String toString() {
    return "epoch=" + epoch + " partition=" + partition + " offset=" + offset + " bytes=" + length;
  }

  /**
   * Reads the record serialized by {@link #write} at {@code buf[off..off+len)}: the same format
   * as {@link #readFields}, decoded from an array rather than byte by byte from a stream (which
   * through a decompressor was a tenth of a batch map task).
   */
  public void readFrom(byte[] buf, int off, int len) throws IOException {
    int end = off + len;
    int p = off;
    epoch = WritableComparator.readVLong(buf, p);
    p += WritableUtils.decodeVIntSize(buf[p]);
    partition = WritableComparator.readVInt(buf, p);
    p += WritableUtils.decodeVIntSize(buf[p]);
    offset = WritableComparator.readVLong(buf, p);
    p += WritableUtils.decodeVIntSize(buf[p]);
    arrivalMillis = WritableComparator.readVLong(buf, p);
    p += WritableUtils.decodeVIntSize(buf[p]);
    int n = WritableComparator.readVInt(buf, p);
    p += WritableUtils.decodeVIntSize(buf[p]);
    if (n < 0 || p + n != end) {
      throw new IOException("corrupt master record: length " + n + " in a value of " + len + " bytes");
    }
    if (raw.length < n) {
      raw = new byte[Math.max(n, raw.length * 2)];
    }
    System.arraycopy(buf, p, raw, 0, n);
    length = n;
  }
}
