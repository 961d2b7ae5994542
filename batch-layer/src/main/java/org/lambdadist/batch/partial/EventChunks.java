package org.lambdadist.batch.partial;

import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.io.WritableUtils;

/**
 * The values of an index's events files: each a chunk of consecutive {@link
 * org.lambdadist.core.event.ProjectedEvents} records (one parsing batch, a few thousand), each
 * record preceded by its length as a Hadoop vint. One SequenceFile value per chunk rather than
 * per record: per-record SequenceFile reading was most of the partial-rows mappers' time, and a
 * mapper gets a few thousand records per call from Hadoop's own SequenceFileInputFormat.
 */
public final class EventChunks {
  private EventChunks() {}

  /** The chunk of {@code count} records laid end to end in {@code bytes}, record i ending at {@code ends[i]}. */
  public static BytesWritable chunk(byte[] bytes, int[] ends, int count) {
    int size = 0;
    int start = 0;
    for (int i = 0; i < count; i++) {
      size += WritableUtils.getVIntSize(ends[i] - start) + ends[i] - start;
      start = ends[i];
    }
    byte[] out = new byte[size];
    int at = 0;
    start = 0;
    for (int i = 0; i < count; i++) {
      int len = ends[i] - start;
      at = putVInt(out, at, len);
      System.arraycopy(bytes, start, out, at, len);
      at += len;
      start = ends[i];
    }
    return new BytesWritable(out);
  }

  /** Visits the records of a chunk at {@code buf[off..off+len)}. */
  public interface RecordVisitor {
    void record(byte[] buf, int offset, int length) throws java.io.IOException, InterruptedException;
  }

  public static void forEach(byte[] buf, int off, int len, RecordVisitor visitor)
      throws java.io.IOException, InterruptedException {
    int p = off;
    int end = off + len;
    while (p < end) {
      int n = WritableComparator.readVInt(buf, p);
      p += WritableUtils.decodeVIntSize(buf[p]);
      if (n < 0 || p + n > end) {
        throw new java.io.IOException("a corrupt chunk of projected events: a record of " + n + " bytes at " + p);
      }
      visitor.record(buf, p, n);
      p += n;
    }
  }

  /** Writes a Hadoop vint (the format of {@link WritableUtils#writeVInt}) at {@code at}; returns the end. */
  private static int putVInt(byte[] out, int at, int value) {
    if (value >= -112 && value <= 127) {
      out[at++] = (byte) value;
      return at;
    }
    int len = -112;
    long i = value;
    if (i < 0) {
      i ^= -1L;
      len = -120;
    }
    long tmp = i;
    while (tmp != 0) {
      tmp = tmp >> 8;
      len--;
    }
    out[at++] = (byte) len;
    len = (len < -120) ? -(len + 120) : -(len + 112);
    for (int idx = len; idx != 0; idx--) {
      int shiftbits = (idx - 1) * 8;
      out[at++] = (byte) ((i & (0xFFL << shiftbits)) >> shiftbits);
    }
    return at;
  }
}
