package org.lambdadist.batch.attribution;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.partial.SkipPositions;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.attribution.AttributionConfig;
import org.lambdadist.core.attribution.JourneyEvent;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.rules.EventRules;

/**
 * Attribute job map: reads records with core's admission rule, skips rejects and later copies of an event id,
 * and emits each touch and conversion of a user, as core's {@link JourneyEvent} classifies it,
 * under the key (user, time, event id).
 */
public class JourneyMapper extends Mapper<NullWritable, ArrivedEventWritable, JourneyKey, JourneyStepWritable> {
  /** Data-quality counters of the attribute job. */
  public enum Counters { RECORDS_READ, REJECTED, DUPLICATES_SKIPPED, TOUCHES, CONVERSIONS, NO_USER, BAD_REVENUE }

  private EventRules rules;
  private AttributionConfig config;
  private SkipPositions duplicates;
  private final JourneyKey key = new JourneyKey();
  private final JourneyStepWritable step = new JourneyStepWritable();

  @Override
  protected void setup(Context context) throws IOException {
    Configuration conf = context.getConfiguration();
    rules = LambdaConfiguration.eventRulesOfJob(conf);
    config = rules.catalog().attribution();
    if (config == null) {
      throw new IOException("the job's views have no attribution section");
    }
    duplicates = SkipPositions.ofJob(conf);
  }

  @Override
  protected void map(NullWritable ignored, ArrivedEventWritable record, Context context)
      throws IOException, InterruptedException {
    context.getCounter(Counters.RECORDS_READ).increment(1);
    ParseResult parsed = rules.read(record.rawBuffer(), 0, record.length());
    if (!parsed.isAccepted()) {
      context.getCounter(Counters.REJECTED).increment(1);
      return;
    }
    Event e = parsed.event();
    if (duplicates.isLaterCopy(record, e)) {
      context.getCounter(Counters.DUPLICATES_SKIPPED).increment(1);
      return;
    }
    JourneyEvent j = JourneyEvent.classify(e, config, rules.limits());
    switch (j.kind()) {
      case NONE -> {
        return;
      }
      case NO_USER -> {
        context.getCounter(Counters.NO_USER).increment(1);
        return;
      }
      case CONVERSION -> {
        if (j.badRevenue()) {
          context.getCounter(Counters.BAD_REVENUE).increment(1);
        }
        step.conversion(e.timestampMillis(), e.eventId(), j.revenue());
        context.getCounter(Counters.CONVERSIONS).increment(1);
      }
      case TOUCH -> {
        step.touch(e.timestampMillis(), e.eventId(), j.channel(), j.campaign());
        context.getCounter(Counters.TOUCHES).increment(1);
      }
      default -> throw new IllegalStateException(j.kind().toString());
    }
    String user = j.user();
    key.set(user, e.timestampMillis(), e.eventId());
    context.write(key, step);
  }
}
