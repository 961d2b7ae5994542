package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.aggregate.AggregateCounters;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.storage.layout.DataLayout;

/**
 * Reduce of the partial rows job: merges the partial aggregates of one (epoch, view row) with
 * the row monoid ({@link RowAggregateCodec#merge}) and writes the row to its epoch's
 * {@code epoch=N/part-r-NNNNN} view row file. Keys arrive sorted, so each file is in key order.
 * The partials are folded in byte order, not arrival order, so an epoch's rows are the same
 * bytes whichever other epochs shared the job.
 */
public class PartialRowsReducer extends Reducer<BytesWritable, BytesWritable, BytesWritable, BytesWritable> {
  private MultipleOutputs<BytesWritable, BytesWritable> outputs;
  private final EpochCounts counts = new EpochCounts();
  private final BytesWritable outKey = new BytesWritable();
  private final BytesWritable merged = new BytesWritable();

  @Override
  protected void setup(Context context) {
    outputs = new MultipleOutputs<>(context);
  }

  @Override
  protected void reduce(BytesWritable key, Iterable<BytesWritable> partials, Context context)
      throws IOException, InterruptedException {
    List<byte[]> rows = new ArrayList<>(2);
    for (BytesWritable p : partials) {
      rows.add(p.copyBytes()); // Hadoop reuses p
    }
    byte[] bytes;
    if (rows.size() == 1) {
      bytes = rows.get(0);
    } else {
      rows.sort(Arrays::compareUnsigned);
      bytes = rows.get(0);
      for (int i = 1; i < rows.size(); i++) {
        bytes = RowAggregateCodec.merge(List.of(bytes, rows.get(i)));
      }
    }
    byte[] k = key.getBytes();
    long epoch = EpochRowKey.epoch(k);
    outKey.set(k, EpochRowKey.EPOCH_BYTES, key.getLength() - EpochRowKey.EPOCH_BYTES);
    merged.set(bytes, 0, bytes.length);
    outputs.write(PartialRowsJob.ROWS, outKey, merged, DataLayout.epochDirectoryName(epoch) + "/part");
    counts.add(epoch, AggregateCounters.VIEW_ROWS, 1);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    for (String l : counts.lines()) {
      outputs.write(PartialRowsJob.COUNTS, NullWritable.get(), new Text(l), PartialRowsJob.COUNTS + "/part");
    }
    outputs.close();
  }
}
