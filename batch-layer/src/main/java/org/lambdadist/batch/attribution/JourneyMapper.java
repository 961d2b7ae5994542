package org.lambdadist.batch.attribution;

import java.io.IOException;
import java.math.BigDecimal;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.aggregate.DuplicatePositions;
import org.lambdadist.batch.aggregate.ViewAggregateMapper;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.attribution.AttributionConfig;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.MetricType;

/**
 * Attribute job map: reads records with core's admission rule, skips rejects and later copies of an event id,
 * and emits each touch and conversion of a user under the key (user, time, event id). A
 * conversion is an event matching the conversion filter (even if it also matches the touch
 * filter); its revenue is the revenue field as a number, 0 when missing or not a usable number
 * (counted as BAD_REVENUE).
 */
public class JourneyMapper extends Mapper<NullWritable, ArrivedEventWritable, JourneyKey, JourneyStepWritable> {
  /** Data-quality counters of the attribute job. */
  public enum Counters { RECORDS_READ, REJECTED, DUPLICATES_SKIPPED, TOUCHES, CONVERSIONS, NO_USER, BAD_REVENUE }

  private EventRules rules;
  private AttributionConfig config;
  private DuplicatePositions duplicates;
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
    duplicates = new DuplicatePositions(conf, conf.get(ViewAggregateMapper.DUPLICATES_DIR));
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
    boolean conversion = config.conversionFilter().matches(e);
    if (!conversion && !config.touchFilter().matches(e)) {
      return;
    }
    String user = FieldValues.canonical(e.field(config.userField()));
    if (user == null) {
      context.getCounter(Counters.NO_USER).increment(1);
      return;
    }
    if (conversion) {
      double revenue = 0;
      if (config.revenueField() != null && e.field(config.revenueField()) != null) {
        Object v = e.field(config.revenueField());
        // Revenue meets the same bounds as a sum metric's values: null for booleans, non-numeric
        // text and numbers beyond them.
        BigDecimal d = rules.isMetricValue(MetricType.SUM, v) ? FieldValues.decimal(v) : null;
        if (d == null) {
          context.getCounter(Counters.BAD_REVENUE).increment(1);
        } else {
          revenue = d.doubleValue();
        }
      }
      step.conversion(e.timestampMillis(), e.eventId(), revenue);
      context.getCounter(Counters.CONVERSIONS).increment(1);
    } else {
      step.touch(e.timestampMillis(), e.eventId(), FieldValues.canonical(e.field(config.channelField())),
          config.campaignField() == null ? null : FieldValues.canonical(e.field(config.campaignField())));
      context.getCounter(Counters.TOUCHES).increment(1);
    }
    key.set(user, e.timestampMillis(), e.eventId());
    context.write(key, step);
  }
}
