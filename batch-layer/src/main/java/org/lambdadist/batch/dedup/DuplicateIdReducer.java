package org.lambdadist.batch.dedup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Reducer;
import org.lambdadist.batch.master.ArrivalPositionWritable;

/**
 * Job 1 reduce: of the copies of one event id keeps the first arrival (smallest position) and
 * writes the positions of all later copies: the duplicates job 2 skips. Counts them.
 */
public class DuplicateIdReducer extends Reducer<Text, ArrivalPositionWritable, ArrivalPositionWritable, NullWritable> {

  @Override
  protected void reduce(Text id, Iterable<ArrivalPositionWritable> positions, Context context)
      throws IOException, InterruptedException {
    List<ArrivalPositionWritable> copies = new ArrayList<>(2);
    for (ArrivalPositionWritable p : positions) {
      copies.add(new ArrivalPositionWritable(p.epoch(), p.partition(), p.offset()));
    }
    if (copies.size() < 2) {
      return;
    }
    ArrivalPositionWritable first = copies.get(0);
    for (ArrivalPositionWritable p : copies) {
      if (p.compareTo(first) < 0) {
        first = p;
      }
    }
    for (ArrivalPositionWritable p : copies) {
      if (p != first) {
        context.write(p, NullWritable.get());
      }
    }
    context.getCounter(DuplicateCounters.DUPLICATES).increment(copies.size() - 1);
  }
}
