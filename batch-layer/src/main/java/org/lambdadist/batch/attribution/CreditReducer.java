package org.lambdadist.batch.attribution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.core.render.AttributionRow;

/** Credit job reduce: sums one (model, day, channel, campaign) and writes its JSON line. */
public class CreditReducer extends Reducer<CreditKey, CreditSum, Text, NullWritable> {
  private static final JsonFactory JSON = new JsonFactory();
  private final Text line = new Text();

  @Override
  protected void reduce(CreditKey key, Iterable<CreditSum> sums, Context context) throws IOException, InterruptedException {
    double[] total = sum(sums);
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      new AttributionRow(key.model(), key.day(), key.channel(), key.campaign(), total[0], total[1]).writeJson(json);
    }
    line.set(out.toString());
    context.write(line, NullWritable.get());
  }

  /** Credited conversions and revenue summed over {@code sums}. */
  static double[] sum(Iterable<CreditSum> sums) {
    double[] total = new double[2];
    for (CreditSum s : sums) {
      total[0] += s.conversions();
      total[1] += s.revenue();
    }
    return total;
  }

  /** The combiner: the same sums, kept as numbers. */
  public static class Combiner extends Reducer<CreditKey, CreditSum, CreditKey, CreditSum> {
    private final CreditSum total = new CreditSum();

    @Override
    protected void reduce(CreditKey key, Iterable<CreditSum> sums, Context context) throws IOException, InterruptedException {
      double[] s = sum(sums);
      total.set(s[0], s[1]);
      context.write(key, total);
    }
  }
}
