package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.view.ViewKey;

/**
 * Job 1 reduce: of all copies of one event (one {@code event_id}) keeps the first arrival,
 * counts the rest as duplicates, and folds the survivor into core's {@link AggregationTable}
 * (in-reducer aggregation). The table is written out as partial rows whenever it reaches
 * {@code lambda.aggregate.flush-rows} and at the end; job 2 merges the partials.
 */
public class DedupAggregateReducer extends Reducer<BytesWritable, ArrivedEventWritable, BytesWritable, BytesWritable> {
  private EventParser parser;
  private AggregationTable table;
  private int flushRows;
  private final ArrivedEventWritable first = new ArrivedEventWritable();
  private final BytesWritable outKey = new BytesWritable();
  private final BytesWritable outValue = new BytesWritable();

  @Override
  protected void setup(Context context) throws IOException {
    Configuration conf = context.getConfiguration();
    parser = new EventParser(conf.getInt(LambdaKeys.EVENT_MAX_BYTES, LambdaKeys.EVENT_MAX_BYTES_DEFAULT));
    table = new AggregationTable(LambdaConfiguration.viewsOfJob(conf).views());
    flushRows = conf.getInt(LambdaKeys.AGGREGATE_FLUSH_ROWS, LambdaKeys.AGGREGATE_FLUSH_ROWS_DEFAULT);
  }

  @Override
  protected void reduce(BytesWritable key, Iterable<ArrivedEventWritable> copies, Context context)
      throws IOException, InterruptedException {
    long n = 0;
    for (ArrivedEventWritable copy : copies) {
      if (n == 0 || copy.arrivedBefore(first)) {
        first.set(copy);
      }
      n++;
    }
    context.getCounter(AggregateCounters.DUPLICATES).increment(n - 1);
    context.getCounter(AggregateCounters.EVENTS_AGGREGATED).increment(1);
    ParseResult parsed = parser.parse(first.rawBuffer(), 0, first.length());
    if (!parsed.isAccepted()) {
      throw new IOException("an event accepted by the mapper no longer parses (" + first + "): " + parsed.rejection());
    }
    int bad = table.add(parsed.event());
    if (bad > 0) {
      context.getCounter(AggregateCounters.BAD_METRIC_VALUES).increment(bad);
    }
    if (table.size() >= flushRows) {
      flush(context);
    }
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
  }
}
