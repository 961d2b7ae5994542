package org.lambdadist.batch.attribution;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.Writable;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.Touch;

/** A core {@link ConversionPath} as a Writable: the hand-over between the journey and credit jobs. */
public final class ConversionPathWritable implements Writable {
  private ConversionPath path;

  public ConversionPath get() {
    return path;
  }

  public void set(ConversionPath p) {
    path = p;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(path.timestampMillis());
    JourneyStepWritable.writeNullable(out, path.eventId());
    out.writeDouble(path.revenue());
    out.writeInt(path.touches().size());
    for (Touch t : path.touches()) {
      out.writeLong(t.timestampMillis());
      JourneyStepWritable.writeNullable(out, t.eventId());
      JourneyStepWritable.writeNullable(out, t.channel());
      JourneyStepWritable.writeNullable(out, t.campaign());
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    long ts = in.readLong();
    String id = JourneyStepWritable.readNullable(in);
    double revenue = in.readDouble();
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative touch count " + n);
    }
    List<Touch> touches = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      touches.add(new Touch(in.readLong(), JourneyStepWritable.readNullable(in), JourneyStepWritable.readNullable(in),
          JourneyStepWritable.readNullable(in)));
    }
    path = new ConversionPath(ts, id, revenue, touches);
  }
}
