package org.lambdadist.batch.attribution;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.io.WritableUtils;

/** One step of a user's journey: a touch (channel, campaign) or a conversion (revenue). */
public final class JourneyStepWritable implements Writable {
  private boolean conversion;
  private long timestamp;
  private String eventId;
  private String channel;
  private String campaign;
  private double revenue;

  public void touch(long time, String id, String touchChannel, String touchCampaign) {
    conversion = false;
    timestamp = time;
    eventId = id;
    channel = touchChannel;
    campaign = touchCampaign;
    revenue = 0;
  }

  public void conversion(long time, String id, double value) {
    conversion = true;
    timestamp = time;
    eventId = id;
    channel = null;
    campaign = null;
    revenue = value;
  }

  public boolean isConversion() {
    return conversion;
  }

  public long timestamp() {
    return timestamp;
  }

  public String eventId() {
    return eventId;
  }

  public String channel() {
    return channel;
  }

  public String campaign() {
    return campaign;
  }

  public double revenue() {
    return revenue;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeBoolean(conversion);
    out.writeLong(timestamp);
    writeNullable(out, eventId);
    writeNullable(out, channel);
    writeNullable(out, campaign);
    out.writeDouble(revenue);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    conversion = in.readBoolean();
    timestamp = in.readLong();
    eventId = readNullable(in);
    channel = readNullable(in);
    campaign = readNullable(in);
    revenue = in.readDouble();
  }

  static void writeNullable(DataOutput out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      WritableUtils.writeString(out, s);
    }
  }

  static String readNullable(DataInput in) throws IOException {
    return in.readBoolean() ? WritableUtils.readString(in) : null;
  }
}
