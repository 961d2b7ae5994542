package org.lambdadist.batch.archive;

import java.io.IOException;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.batch.master.ArrivedEventWritable;

/** Copies records unchanged, counting them per partition for the epoch's manifest. */
public final class ArchiveMapper extends Mapper<NullWritable, ArrivedEventWritable, NullWritable, ArrivedEventWritable> {
  static final String PARTITION_GROUP = "lambda.archive.records-by-partition";

  @Override
  protected void map(NullWritable key, ArrivedEventWritable value, Context context) throws IOException, InterruptedException {
    context.write(key, value);
    context.getCounter(PARTITION_GROUP, Integer.toString(value.partition())).increment(1);
  }
}
