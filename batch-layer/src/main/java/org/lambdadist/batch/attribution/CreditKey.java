package org.lambdadist.batch.attribution;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import java.util.Objects;
import org.apache.hadoop.io.WritableComparable;

/** (model, day, channel, campaign): one row of the attribution output, sorted in that order. */
public final class CreditKey implements WritableComparable<CreditKey> {
  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
  private String model = "";
  private String day = "";
  private String channel = "";
  private String campaign;

  public void set(String m, String d, String ch, String ca) {
    model = m;
    day = d;
    channel = ch;
    campaign = ca;
  }

  public String model() {
    return model;
  }

  public String day() {
    return day;
  }

  public String channel() {
    return channel;
  }

  public String campaign() {
    return campaign;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeUTF(model);
    out.writeUTF(day);
    out.writeUTF(channel);
    JourneyStepWritable.writeNullable(out, campaign);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    model = in.readUTF();
    day = in.readUTF();
    channel = in.readUTF();
    campaign = JourneyStepWritable.readNullable(in);
  }

  @Override
  public int compareTo(CreditKey o) {
    int c = model.compareTo(o.model);
    if (c == 0) {
      c = day.compareTo(o.day);
    }
    if (c == 0) {
      c = channel.compareTo(o.channel);
    }
    return c != 0 ? c : NULLS_FIRST.compare(campaign, o.campaign);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreditKey k && compareTo(k) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, day, channel, campaign);
  }
}
