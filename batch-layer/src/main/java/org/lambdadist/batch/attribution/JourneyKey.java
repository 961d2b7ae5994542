package org.lambdadist.batch.attribution;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.WritableComparable;
import org.apache.hadoop.io.WritableComparator;
import org.apache.hadoop.mapreduce.Partitioner;

/**
 * The secondary-sort key (user, time, event id): partitioned and grouped by user only, sorted
 * by all three, so a reducer sees each user's events once, in order.
 */
public final class JourneyKey implements WritableComparable<JourneyKey> {
  private final Text user = new Text();
  private long timestamp;
  private final Text eventId = new Text();

  public void set(String userId, long time, String id) {
    user.set(userId);
    timestamp = time;
    eventId.set(id == null ? "" : id);
  }

  public Text user() {
    return user;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    user.write(out);
    out.writeLong(timestamp);
    eventId.write(out);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    user.readFields(in);
    timestamp = in.readLong();
    eventId.readFields(in);
  }

  @Override
  public int compareTo(JourneyKey o) {
    int c = user.compareTo(o.user);
    if (c == 0) {
      c = Long.compare(timestamp, o.timestamp);
    }
    return c != 0 ? c : eventId.compareTo(o.eventId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JourneyKey k && compareTo(k) == 0;
  }

  @Override
  public int hashCode() {
    return user.hashCode();
  }

  /** Sends every event of a user to one reducer. */
  public static final class UserPartitioner extends Partitioner<JourneyKey, JourneyStepWritable> {
    @Override
    public int getPartition(JourneyKey key, JourneyStepWritable value, int partitions) {
      return (key.user.hashCode() & Integer.MAX_VALUE) % partitions;
    }
  }

  /** Groups the reduce input by user alone. */
  public static final class UserGrouping extends WritableComparator {
    public UserGrouping() {
      super(JourneyKey.class, true);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public int compare(WritableComparable a, WritableComparable b) {
      return ((JourneyKey) a).user.compareTo(((JourneyKey) b).user);
    }
  }
}
