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
    double conversions = 0;
    double revenue = 0;
    for (CreditSum s : sums) {
      conversions += s.conversions();
      revenue += s.revenue();
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      new AttributionRow(key.model(), key.day(), key.channel(), key.campaign(), conversions, revenue).writeJson(json);
    }
    line.set(out.toString());
    context.write(line, NullWritable.get());
  }

  /** The combiner: the same sums, kept as numbers. */
  public static class Combiner extends Reducer<CreditKey, CreditSum, CreditKey, CreditSum> {
    private final CreditSum total = new CreditSum();

    @Override
    protected void reduce(CreditKey key, Iterable<CreditSum> sums, Context context) throws IOException, InterruptedException {
      double conversions = 0;
      double revenue = 0;
      for (CreditSum s : sums) {
        conversions += s.conversions();
        revenue += s.revenue();
      }
      total.set(conversions, revenue);
      context.write(key, total);
    }
  }
}
