package org.lambdadist.batch.archive;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputSplit;

/** One input split: offsets {@code [from, until)} of one Kafka partition, all of one epoch. */
public final class KafkaRangeSplit extends InputSplit implements Writable {
  private String topic;
  private int partition;
  private long from;
  private long until;
  private long epoch;

  public KafkaRangeSplit() {}

  public KafkaRangeSplit(String topic, int partition, long from, long until, long epoch) {
    this.topic = topic;
    this.partition = partition;
    this.from = from;
    this.until = until;
    this.epoch = epoch;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long from() {
    return from;
  }

  public long until() {
    return until;
  }

  public long epoch() {
    return epoch;
  }

  @Override
  public long getLength() {
    return until - from;
  }

  @Override
  public String[] getLocations() {
    return new String[0];
  }

  @Override
  public void write(DataOutput out) throws IOException {
    Text.writeString(out, topic);
    out.writeInt(partition);
    out.writeLong(from);
    out.writeLong(until);
    out.writeLong(epoch);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    topic = Text.readString(in);
    partition = in.readInt();
    from = in.readLong();
    until = in.readLong();
    epoch = in.readLong();
  }

  @Override
  public String toString() {
    return topic + "/" + partition + " [" + from + ", " + until + ") epoch " + epoch;
  }
}
