package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Map of the partial rows job: folds what core's admission rule decided about each master
 * record, as the epoch's index kept it ({@link org.lambdadist.core.event.ProjectedEvents}: no
 * JSON is parsed here), with {@link PartialFold}: a rejected record is quarantined (a JSON line
 * with its reason, under its epoch), an accepted one its epoch's index lists as a later copy is
 * skipped, every other event goes into core's {@link AggregationTable} (in-mapper aggregation,
 * flushed at {@code lambda.aggregate.flush-rows} rows and at the end). Keys are (epoch, view
 * key): one job computes the partials of several epochs without mixing them. Counters are
 * tallied per epoch ({@link EpochCounts}).
 */
public class PartialRowsMapper extends Mapper<NullWritable, BytesWritable, BytesWritable, BytesWritable> {
  private PartialFold fold;
  private MultipleOutputs<BytesWritable, BytesWritable> outputs;
  private final BytesWritable outKey = new BytesWritable();
  private final BytesWritable outValue = new BytesWritable();
  private final Text line = new Text();
  private ProjectedEvents.Reader events;
  private Context taskContext;

  @Override
  protected void setup(Context context) throws IOException {
    taskContext = context;
    Configuration conf = context.getConfiguration();
    EventRules rules = LambdaConfiguration.eventRulesOfJob(conf);
    events = new ProjectedEvents.Reader(rules.projection());
    fold = new PartialFold(rules, SkipPositions.ofJob(conf), LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_FLUSH_ROWS),
        new PartialFold.Output() {
          @Override
          public void rows(long epoch, AggregationTable table) throws IOException, InterruptedException {
            for (Map.Entry<ViewKey, RowAggregate> row : table.rows().entrySet()) {
              byte[] k = EpochRowKey.encode(epoch, ViewKeyCodec.encode(row.getKey()));
              byte[] v = RowAggregateCodec.encode(row.getValue());
              outKey.set(k, 0, k.length);
              outValue.set(v, 0, v.length);
              taskContext.write(outKey, outValue);
            }
          }

          @Override
          public void quarantine(long epoch, String jsonLine) throws IOException, InterruptedException {
            line.set(jsonLine);
            PartialRowsMapper.this.quarantine(taskContext, epoch, line);
          }
        });
  }

  @Override
  protected void map(NullWritable ignored, BytesWritable chunk, Context context)
      throws IOException, InterruptedException {
    EventChunks.forEach(chunk.getBytes(), 0, chunk.getLength(), (buf, off, len) -> {
      events.read(buf, off, len);
      fold.add(events);
    });
  }

  /** Writes one quarantine line; a seam for tests, which cannot run MultipleOutputs. */
  protected void quarantine(Context context, long epoch, Text jsonLine) throws IOException, InterruptedException {
    outputs().write(PartialRowsJob.QUARANTINE, NullWritable.get(), jsonLine,
        DataLayout.epochDirectoryName(epoch) + "/" + PartialRowsJob.QUARANTINE + "/part");
  }

  /** Writes the per-epoch counters; a seam for tests. */
  protected void writeCounts(Context context, EpochCounts tallies) throws IOException, InterruptedException {
    for (String l : tallies.lines()) {
      outputs().write(PartialRowsJob.COUNTS, NullWritable.get(), new Text(l), PartialRowsJob.COUNTS + "/part");
    }
  }

  private MultipleOutputs<BytesWritable, BytesWritable> outputs() {
    if (outputs == null) {
      outputs = new MultipleOutputs<>(taskContext);
    }
    return outputs;
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    fold.flush();
    writeCounts(context, fold.finish(context.getConfiguration()));
    if (outputs != null) {
      outputs.close();
    }
  }
}
