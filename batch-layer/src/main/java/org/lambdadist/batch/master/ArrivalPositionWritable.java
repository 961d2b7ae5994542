package org.lambdadist.batch.master;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/**
 * Where one record of the master dataset arrived: (epoch, partition, offset), unique per
 * record and ordered by arrival. Of the copies of one event, the one with the smallest
 * position wins; the others' positions are the duplicates the aggregate skips.
 */
public final class ArrivalPositionWritable implements Writable, Comparable<ArrivalPositionWritable> {
  private long epoch;
  private int partition;
  private long offset;

  public ArrivalPositionWritable() {}

  public ArrivalPositionWritable(long epoch, int partition, long offset) {
    set(epoch, partition, offset);
  }

  public void set(long newEpoch, int newPartition, long newOffset) {
    this.epoch = newEpoch;
    this.partition = newPartition;
    this.offset = newOffset;
  }

  public void set(ArrivalPositionWritable other) {
    set(other.epoch, other.partition, other.offset);
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

  @Override
  public void write(DataOutput out) throws IOException {
    WritableUtils.writeVLong(out, epoch);
    WritableUtils.writeVInt(out, partition);
    WritableUtils.writeVLong(out, offset);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    epoch = WritableUtils.readVLong(in);
    partition = WritableUtils.readVInt(in);
    offset = WritableUtils.readVLong(in);
  }

  @Override
  public int compareTo(ArrivalPositionWritable o) {
    int c = Long.compare(epoch, o.epoch);
    if (c == 0) {
      c = Integer.compare(partition, o.partition);
    }
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArrivalPositionWritable p && compareTo(p) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch * 31 + partition) * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return "epoch=" + epoch + "/partition=" + partition + "/offset=" + offset;
  }
}
