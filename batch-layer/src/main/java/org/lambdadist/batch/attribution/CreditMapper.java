package org.lambdadist.batch.attribution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.attribution.AttributionSettings;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.Credit;
import org.lambdadist.core.attribution.MarkovModel;

/**
 * Credit job map: credits every conversion path under every model with core's
 * {@link AttributionModel} (Markov with the removal effects the driver fitted), summing in the
 * mapper per (model, conversion day, channel, campaign).
 */
public class CreditMapper extends Mapper<NullWritable, ConversionPathWritable, CreditKey, CreditSum> {
  /** The fitted Markov removal effects, as JSON, set by the driver. */
  public static final String REMOVAL_EFFECTS = "lambda.internal.markov.removal-effects";

  private record Row(String model, String day, String channel, String campaign) {}

  private AttributionSettings settings;
  private MarkovModel markov;
  private final Map<Row, double[]> sums = new HashMap<>();

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
    String day = Instant.ofEpochMilli(path.timestampMillis()).atZone(ZoneOffset.UTC).toLocalDate().toString();
    for (AttributionModel model : AttributionModel.values()) {
      List<Credit> credits = model.credit(path, settings, markov);
      for (Credit c : credits) {
        double[] s = sums.computeIfAbsent(new Row(model.label(), day, c.channel(), c.campaign()), k -> new double[2]);
        s[0] += c.weight();
        s[1] += c.weight() * path.revenue();
      }
    }
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    CreditKey key = new CreditKey();
    CreditSum sum = new CreditSum();
    for (Map.Entry<Row, double[]> e : sums.entrySet()) {
      Row r = e.getKey();
      key.set(r.model(), r.day(), r.channel(), r.campaign());
      sum.set(e.getValue()[0], e.getValue()[1]);
      context.write(key, sum);
    }
  }
}
