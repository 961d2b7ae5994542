package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.event.Rejection;
import org.lambdadist.core.render.QuarantineRecord;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.batch.dedup.DuplicatePositions;
import org.lambdadist.batch.dedup.DuplicatesJob;

/**
 * Job 2 map (aggregate): reads each master record with core's admission rule; quarantines a rejected
 * one (a JSON line with its reason) and counts it; skips an accepted one whose position job 1
 * found to be a later copy of an event; folds every other event into core's
 * {@link AggregationTable} (in-mapper aggregation). The table is emitted as partial rows when
 * it reaches {@code lambda.aggregate.flush-rows} and at the end. Master files arrive in
 * roughly time order, so a task's minute rows are mostly its own and partials stay few.
 */
public class ViewAggregateMapper extends Mapper<NullWritable, ArrivedEventWritable, BytesWritable, BytesWritable> {
  /** The named output of quarantined records. */
  public static final String QUARANTINE = "quarantine";

  private EventRules rules;
  private AggregationTable table;
  private int flushRows;
  private MultipleOutputs<BytesWritable, BytesWritable> quarantine;
  private DuplicatePositions duplicates;
  private final BytesWritable outKey = new BytesWritable();
  private final BytesWritable outValue = new BytesWritable();
  private final Text line = new Text();

  @Override
  protected void setup(Context context) throws IOException {
    Configuration conf = context.getConfiguration();
    rules = LambdaConfiguration.eventRulesOfJob(conf);
    table = rules.newTable();
    flushRows = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_FLUSH_ROWS);
    duplicates = new DuplicatePositions(conf, conf.get(DuplicatesJob.DUPLICATES_DIR));
  }

  @Override
  protected void map(NullWritable ignored, ArrivedEventWritable record, Context context)
      throws IOException, InterruptedException {
    context.getCounter(AggregateCounters.RECORDS_READ).increment(1);
    ParseResult parsed = rules.read(record.rawBuffer(), 0, record.length());
    if (!parsed.isAccepted()) {
      reject(context, record, parsed.rejection());
      return;
    }
    if (duplicates.isLaterCopy(record, parsed.event())) {
      context.getCounter(AggregateCounters.EVENTS_ACCEPTED).increment(1);
      context.getCounter(AggregateCounters.DUPLICATES_SKIPPED).increment(1);
      return;
    }
    int bad;
    try {
      bad = table.add(parsed.event());
    } catch (RuntimeException | StackOverflowError e) {
      // A defect, not a bad record (the rule bounds every value, and the table changes nothing
      // until every key of the event is built): set the record aside, never fail the job on it.
      reject(context, record, new Rejection(RejectReason.UNPROCESSABLE, RejectReason.describe(e)));
      return;
    }
    context.getCounter(AggregateCounters.EVENTS_ACCEPTED).increment(1);
    context.getCounter(AggregateCounters.EVENTS_AGGREGATED).increment(1);
    if (bad > 0) {
      context.getCounter(AggregateCounters.BAD_METRIC_VALUES).increment(bad);
    }
    if (table.size() >= flushRows) {
      flush(context);
    }
  }

  private void reject(Context context, ArrivedEventWritable record, Rejection rejection)
      throws IOException, InterruptedException {
    context.getCounter(AggregateCounters.EVENTS_REJECTED).increment(1);
    context.getCounter(AggregateCounters.REJECTED_GROUP, rejection.reason().name()).increment(1);
    line.set(QuarantineRecord.toJsonLine(rejection, record.epoch(), record.rawBuffer(), 0, record.length()));
    quarantine(context, line);
  }

  /** Writes one quarantine line; a seam for tests, which cannot run MultipleOutputs. */
  protected void quarantine(Context context, Text jsonLine) throws IOException, InterruptedException {
    if (quarantine == null) {
      quarantine = new MultipleOutputs<>(context);
    }
    quarantine.write(QUARANTINE, NullWritable.get(), jsonLine, QUARANTINE + "/part");
  }

  private void flush(Context context) throws IOException, InterruptedException {
    for (Map.Entry<ViewKey, RowAggregate> row : table.rows().entrySet()) {
      byte[] k = ViewKeyCodec.encode(row.getKey());
      byte[] v = RowAggregateCodec.encode(row.getValue());
      outKey.set(k, 0, k.length);
      outValue.set(v, 0, v.length);
      context.write(outKey, outValue);
    }
    context.getCounter(AggregateCounters.PARTIAL_ROWS).increment(table.size());
    table.clear();
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    flush(context);
    if (quarantine != null) {
      quarantine.close();
    }
  }
}
