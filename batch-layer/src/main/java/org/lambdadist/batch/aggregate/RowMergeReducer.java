package org.lambdadist.batch.aggregate;

import java.io.IOException;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * Job 2 combiner and reducer: merges the partial aggregates of one view row with the row
 * monoid. The aggregate bytes are self-describing, so no view definition is needed here. A row
 * with a single partial (most minute rows) passes through without being decoded.
 */
public class RowMergeReducer extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
  private final BytesWritable merged = new BytesWritable();

  /** False in the combiner, which must not count final rows. */
  protected boolean countsRows() {
    return true;
  }

  @Override
  protected void reduce(BytesWritable key, Iterable<BytesWritable> partials, Context context)
      throws IOException, InterruptedException {
    RowAggregate row = null;
    int n = 0;
    for (BytesWritable p : partials) {
      if (n++ == 0) {
        merged.set(p); // Hadoop reuses p: keep a copy of the first partial
        continue;
      }
      if (row == null) {
        row = RowAggregateCodec.decode(merged.getBytes(), 0, merged.getLength());
      }
      row.merge(RowAggregateCodec.decode(p.getBytes(), 0, p.getLength()));
    }
    if (row != null) {
      byte[] bytes = RowAggregateCodec.encode(row);
      merged.set(bytes, 0, bytes.length);
    }
    context.write(key, merged);
    if (countsRows()) {
      context.getCounter(AggregateCounters.VIEW_ROWS).increment(1);
    }
  }
}
