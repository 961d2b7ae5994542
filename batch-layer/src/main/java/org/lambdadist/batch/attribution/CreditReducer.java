package org.lambdadist.batch.attribution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.attribution.CreditTotal;

/** Credit job reduce: sums one (model, day, channel, campaign) and writes its JSON line. */
public class CreditReducer extends Reducer<CreditKey, CreditSum, Text, NullWritable> {
  private static final JsonFactory JSON = new JsonFactory();
  private final Text line = new Text();

  @Override
  protected void reduce(CreditKey key, Iterable<CreditSum> sums, Context context) throws IOException, InterruptedException {
    CreditTotal total = sum(sums);
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      new AttributionRow(key.model(), key.day(), key.channel(), key.campaign(), total.conversions(), total.revenue())
          .writeJson(json);
    }
    line.set(out.toString());
    context.write(line, NullWritable.get());
  }

  /** Credited conversions and revenue summed over {@code sums}. */
  static CreditTotal sum(Iterable<CreditSum> sums) {
    CreditTotal total = new CreditTotal();
    for (CreditSum s : sums) {
      total.add(s.conversions(), s.revenue());
    }
    return total;
  }

  /** The combiner: the same sums, kept as numbers. */
  public static class Combiner extends Reducer<CreditKey, CreditSum, CreditKey, CreditSum> {
    private final CreditSum total = new CreditSum();

    @Override
    protected void reduce(CreditKey key, Iterable<CreditSum> sums, Context context) throws IOException, InterruptedException {
      CreditTotal s = sum(sums);
      total.set(s.conversions(), s.revenue());
      context.write(key, total);
    }
  }
}
