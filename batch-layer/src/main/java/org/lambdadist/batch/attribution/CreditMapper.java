package org.lambdadist.batch.attribution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.attribution.CreditTable;
import org.lambdadist.core.attribution.CreditTotal;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.attribution.AttributionSettings;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.MarkovModel;

/**
 * Credit job map: credits every conversion path under every model with core's
 * {@link AttributionModel} (Markov with the removal effects the driver fitted), summing in the
 * mapper per (model, conversion day, channel, campaign).
 */
public class CreditMapper extends Mapper<NullWritable, ConversionPathWritable, CreditKey, CreditSum> {
  /** The fitted Markov removal effects, as JSON, set by the driver. */
  public static final String REMOVAL_EFFECTS = "lambda.internal.markov.removal-effects";

  private AttributionSettings settings;
  private MarkovModel markov;
  private final CreditTable table = new CreditTable();

  @Override
  protected void setup(Context context) throws IOException {
    settings = LambdaConfiguration.viewsOfJob(context.getConfiguration()).attribution().settings();
    String json = context.getConfiguration().get(REMOVAL_EFFECTS, "{}");
    Map<String, Double> effects = new ObjectMapper().readValue(json, new TypeReference<Map<String, Double>>() { });
    markov = MarkovModel.ofRemovalEffects(effects, Double.NaN);
  }

  @Override
  protected void map(NullWritable ignored, ConversionPathWritable value, Context context) {
    ConversionPath path = value.get();
    String day = Granularity.dayOf(path.timestampMillis());
    for (AttributionModel model : AttributionModel.values()) {
      table.credit(model.label(), day, model.credit(path, settings, markov), path.revenue());
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    CreditKey key = new CreditKey();
    CreditSum sum = new CreditSum();
    for (Map.Entry<CreditTable.Key, CreditTotal> e : table.totals().entrySet()) {
      CreditTable.Key r = e.getKey();
      key.set(r.model(), r.day(), r.channel(), r.campaign());
      sum.set(e.getValue().conversions(), e.getValue().revenue());
      context.write(key, sum);
    }
  }
}
