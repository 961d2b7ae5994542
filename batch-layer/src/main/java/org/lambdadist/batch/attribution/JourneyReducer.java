package org.lambdadist.batch.attribution;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.attribution.AttributionSettings;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.MarkovModel;
import org.lambdadist.core.attribution.Touch;
import org.lambdadist.core.attribution.UserJourney;

/**
 * Attribute job reduce: one call per user, events in (time, event id) order. Cuts them into
 * conversion paths with core's {@link UserJourney}, writes each path for the credit job, and
 * counts the Markov transitions of every converting and non-converting path, written at the
 * end as (from, to) → count to the named output {@link #CHAIN}.
 */
public class JourneyReducer extends Reducer<JourneyKey, JourneyStepWritable, NullWritable, ConversionPathWritable> {
  public static final String CHAIN = "chain";

  private AttributionSettings settings;
  private final MarkovModel.Transitions transitions = new MarkovModel.Transitions();
  private final ConversionPathWritable out = new ConversionPathWritable();
  private MultipleOutputs<NullWritable, ConversionPathWritable> chain;

  @Override
  protected void setup(Context context) throws IOException {
    settings = LambdaConfiguration.viewsOfJob(context.getConfiguration()).attribution().settings();
  }

  @Override
  protected void reduce(JourneyKey user, Iterable<JourneyStepWritable> steps, Context context)
      throws IOException, InterruptedException {
    List<Touch> touches = new ArrayList<>();
    List<UserJourney.ConversionEvent> conversions = new ArrayList<>();
    for (JourneyStepWritable s : steps) {
      if (s.isConversion()) {
        conversions.add(new UserJourney.ConversionEvent(s.timestamp(), s.eventId(), s.revenue()));
      } else {
        touches.add(new Touch(s.timestamp(), s.eventId(), s.channel(), s.campaign()));
      }
    }
    UserJourney.Paths paths = UserJourney.paths(touches, conversions, settings);
    for (ConversionPath p : paths.converting()) {
      out.set(p);
      context.write(NullWritable.get(), out);
      transitions.addPath(p.touches().stream().map(Touch::channel).toList(), true);
    }
    transitions.addPath(paths.nonConverting().stream().map(Touch::channel).toList(), false);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    for (Map.Entry<String, Map<String, Long>> from : transitions.counts().entrySet()) {
      for (Map.Entry<String, Long> to : from.getValue().entrySet()) {
        writeTransition(context, new Text(transitionKey(from.getKey(), to.getKey())), new LongWritable(to.getValue()));
      }
    }
    if (chain != null) {
      chain.close();
    }
  }

  /** Writes one transition count; a seam for tests, which cannot run MultipleOutputs. */
  protected void writeTransition(Context context, Text key, LongWritable count) throws IOException, InterruptedException {
    if (chain == null) {
      chain = new MultipleOutputs<>(context);
    }
    chain.write(CHAIN, key, count, CHAIN + "/part");
  }

  /** {@code <length of from>:<from><to>}: unambiguous whatever the channel names hold. */
  static String transitionKey(String from, String to) {
    return from.length() + ":" + from + to;
  }

  static String[] parseTransitionKey(String key) {
    int colon = key.indexOf(':');
    int n = Integer.parseInt(key.substring(0, colon));
    return new String[] {key.substring(colon + 1, colon + 1 + n), key.substring(colon + 1 + n)};
  }
}
