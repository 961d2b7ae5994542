package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * Job 2 combiner and reducer: merges the partial aggregates of one view row with the row
 * monoid ({@link RowAggregateCodec#merge}). The aggregate bytes are self-describing, so no view
 * definition is needed here. A row with a single partial (most minute rows) passes through
 * without being decoded.
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
    List<byte[]> rows = new ArrayList<>(2);
    for (BytesWritable p : partials) {
      rows.add(p.copyBytes()); // Hadoop reuses p
    }
    byte[] bytes = RowAggregateCodec.merge(rows);
    merged.set(bytes, 0, bytes.length);
    context.write(key, merged);
    if (countsRows()) {
      context.getCounter(AggregateCounters.VIEW_ROWS).increment(1);
    }
  }
}
