package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * Combiner of the partial rows job: merges the partial aggregates a map task wrote for one key
 * with the row monoid ({@link RowAggregateCodec#merge}). The aggregate bytes are
 * self-describing, so no view definition is needed here; a key with a single partial passes
 * through without being decoded.
 */
public class RowMergeCombiner extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
  private final BytesWritable merged = new BytesWritable();

  @Override
  protected void reduce(BytesWritable key, Iterable<BytesWritable> partials, Context context)
      throws IOException, InterruptedException {
    List<byte[]> rows = new ArrayList<>(2);
    for (BytesWritable p : partials) {
      rows.add(p.copyBytes()); // Hadoop reuses p
    }
    byte[] bytes = rows.size() == 1 ? rows.get(0) : RowAggregateCodec.merge(rows);
    merged.set(bytes, 0, bytes.length);
    context.write(key, merged);
  }
}
