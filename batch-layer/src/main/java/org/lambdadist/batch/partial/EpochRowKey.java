package org.lambdadist.batch.partial;

import java.util.Arrays;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.mapreduce.Partitioner;

/**
 * The shuffle key of the partial rows job: the epoch (8 bytes, big-endian, so keys sort by
 * epoch first) and the view key's bytes. Rows are partitioned by the view key alone, so a row
 * lands in the same part file ({@code part-r-NNNNN}) in every epoch and a version merges part
 * by part.
 */
public final class EpochRowKey {
  static final int EPOCH_BYTES = Long.BYTES;

  private EpochRowKey() {}

  public static byte[] encode(long epoch, byte[] viewKey) {
    byte[] k = new byte[EPOCH_BYTES + viewKey.length];
    for (int i = 0; i < EPOCH_BYTES; i++) {
      k[i] = (byte) (epoch >>> (56 - 8 * i));
    }
    System.arraycopy(viewKey, 0, k, EPOCH_BYTES, viewKey.length);
    return k;
  }

  public static long epoch(byte[] key) {
    long e = 0;
    for (int i = 0; i < EPOCH_BYTES; i++) {
      e = (e << 8) | (key[i] & 0xff);
    }
    return e;
  }

  public static byte[] viewKey(byte[] key, int length) {
    return Arrays.copyOfRange(key, EPOCH_BYTES, length);
  }

  /** The part a view key belongs to among {@code parts}. */
  public static int part(byte[] viewKey, int offset, int length, int parts) {
    return (WritableComparator.hashBytes(viewKey, offset, length) & Integer.MAX_VALUE) % parts;
  }

  /** Partitions (epoch, view key) by the view key. */
  public static final class ByViewKey extends Partitioner<BytesWritable, BytesWritable> {
    @Override
    public int getPartition(BytesWritable key, BytesWritable value, int parts) {
      return part(key.getBytes(), EPOCH_BYTES, key.getLength() - EPOCH_BYTES, parts);
    }
  }
}
