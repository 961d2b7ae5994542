package org.lambdadist.batch.dedup;

import java.io.IOException;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.master.ArrivalPositionWritable;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.rules.EventRules;

/**
 * Job 1 map (find duplicates): emits (event_id, arrival position) for each accepted event that
 * has an id, so all copies of an event meet in one reduce call. Only ids and positions cross
 * the shuffle, never the events. Rejected records are left to job 2, which quarantines them;
 * both jobs use core's one admission rule ({@link EventRules}), so they agree on what is
 * accepted.
 */
public class DuplicateIdMapper extends Mapper<NullWritable, ArrivedEventWritable, Text, ArrivalPositionWritable> {
  private EventRules rules;
  private final Text id = new Text();
  private final ArrivalPositionWritable position = new ArrivalPositionWritable();

  @Override
  protected void setup(Context context) throws IOException {
    rules = LambdaConfiguration.eventRulesOfJob(context.getConfiguration());
  }

  @Override
  protected void map(NullWritable ignored, ArrivedEventWritable record, Context context)
      throws IOException, InterruptedException {
    ParseResult parsed = rules.read(record.rawBuffer(), 0, record.length());
    if (parsed.isAccepted() && parsed.event().eventId() != null) {
      id.set(parsed.event().eventId());
      record.positionInto(position);
      context.write(id, position);
    }
  }
}
