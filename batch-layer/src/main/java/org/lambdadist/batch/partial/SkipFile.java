package org.lambdadist.batch.partial;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.WritableUtils;

/**
 * The {@code skip} file of an epoch's index: the positions (partition, offset) of the epoch's
 * accepted records that are later copies of an event (an earlier record of this epoch, or of
 * an earlier epoch, holds its id), sorted. The magic {@code LSK1}, the count, then per position
 * a vint partition and a vlong offset.
 */
public final class SkipFile {
  static final byte[] MAGIC = {'L', 'S', 'K', '1'};

  private SkipFile() {}

  /** Writes {@code count} positions given sorted by (partition, offset). */
  public static void write(FileSystem fs, Path file, int[] partitions, long[] offsets, int count) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(fs.create(file, false), 1 << 16))) {
      out.write(MAGIC);
      WritableUtils.writeVLong(out, count);
      for (int i = 0; i < count; i++) {
        WritableUtils.writeVInt(out, partitions[i]);
        WritableUtils.writeVLong(out, offsets[i]);
      }
    }
  }

  /** The positions of a skip file, for lookups: per partition a sorted array of offsets. */
  public static SkipPositions.EpochSkips read(FileSystem fs, Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(fs.open(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a skip list (bad magic)");
      }
      long count = WritableUtils.readVLong(in);
      if (count < 0 || count > Integer.MAX_VALUE) {
        throw new IOException(file + " is corrupt (count " + count + ")");
      }
      int[] partitions = new int[(int) count];
      long[] offsets = new long[(int) count];
      for (int i = 0; i < count; i++) {
        partitions[i] = WritableUtils.readVInt(in);
        offsets[i] = WritableUtils.readVLong(in);
      }
      return new SkipPositions.EpochSkips(partitions, offsets);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated", e);
    }
  }
}
