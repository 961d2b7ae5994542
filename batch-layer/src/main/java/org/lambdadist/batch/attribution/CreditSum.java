package org.lambdadist.batch.attribution;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.io.Writable;

/** Credited conversions and revenue, summed. */
public final class CreditSum implements Writable {
  private double conversions;
  private double revenue;

  public void set(double c, double r) {
    conversions = c;
    revenue = r;
  }

  public double conversions() {
    return conversions;
  }

  public double revenue() {
    return revenue;
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeDouble(conversions);
    out.writeDouble(revenue);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    conversions = in.readDouble();
    revenue = in.readDouble();
  }
}
