package org.lambdadist.batch.master;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * A run of consecutive records of one file of the master dataset (or of the projected events
 * derived from it), as serialized values in one buffer: what
 * {@link MasterBatchInputFormat} hands a mapper per call. Handing over records one by one cost
 * the batch a fifth of its map time in Hadoop's per-record bookkeeping (progress, file system
 * statistics) and in reading each record's fields byte by byte through the decompressor.
 * Reused by its reader: a mapper must not keep it beyond the call. Writable (the values with
 * their lengths) so that it can be copied like any other input.
 */
public final class MasterRecordBatch implements Writable {
  private byte[] data = new byte[1 << 16];
  private int[] starts = new int[256];
  private int count;
  private int used;

  /** Empties the batch for reuse. */
  public void clear() {
    count = 0;
    used = 0;
  }

  /** Appends one serialized {@link ArrivedEventWritable} value. */
  public void add(byte[] value, int off, int len) {
    if (count + 1 >= starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    if (used + len > data.length) {
      data = Arrays.copyOf(data, Math.max(used + len, data.length * 2));
    }
    System.arraycopy(value, off, data, used, len);
    starts[count++] = used;
    used += len;
    starts[count] = used;
  }

  /** A batch of these records (for tests and tools). */
  public static MasterRecordBatch of(ArrivedEventWritable... records) throws IOException {
    MasterRecordBatch batch = new MasterRecordBatch();
    org.apache.hadoop.io.DataOutputBuffer out = new org.apache.hadoop.io.DataOutputBuffer();
    for (ArrivedEventWritable r : records) {
      out.reset();
      r.write(out);
      batch.add(out.getData(), 0, out.getLength());
    }
    return batch;
  }

  public int size() {
    return count;
  }

  /** Bytes of serialized values held. */
  public int bytes() {
    return used;
  }

  /** The buffer holding the values: value {@code i} is {@code data()[start(i) .. start(i)+length(i))}. */
  public byte[] data() {
    return data;
  }

  public int start(int i) {
    return starts[i];
  }

  public int length(int i) {
    return starts[i + 1] - starts[i];
  }

  /** Decodes record {@code i} into {@code into}. */
  public void read(int i, ArrivedEventWritable into) throws IOException {
    into.readFrom(data, starts[i], starts[i + 1] - starts[i]);
  }

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVInt(out, count);
    for (int i = 0; i < count; i++) {
      WritableUtils.writeVInt(out, starts[i + 1] - starts[i]);
      out.write(data, starts[i], starts[i + 1] - starts[i]);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    clear();
    int n = WritableUtils.readVInt(in);
    byte[] value = new byte[0];
    for (int i = 0; i < n; i++) {
      int len = WritableUtils.readVInt(in);
      if (len < 0) {
        throw new IOException("negative value length " + len);
      }
      if (value.length < len) {
        value = new byte[len];
      }
      in.readFully(value, 0, len);
      add(value, 0, len);
    }
  }
}
