package org.lambdadist.batch.load;

import java.io.IOException;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.mapreduce.Mapper;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.storage.hbase.HBaseSchema;

/** Turns a batch view row into a Put of its salted row key; HFileOutputFormat2 sorts and writes them. */
public class LoadMapper extends Mapper<BytesWritable, BytesWritable, ImmutableBytesWritable, Put> {
  /** The cell timestamp of every loaded cell: the load's time, set by the tool. */
  public static final String CELL_TIMESTAMP = "lambda.internal.load.timestamp";

  private long timestamp;

  @Override
  protected void setup(Context context) {
    timestamp = context.getConfiguration().getLong(CELL_TIMESTAMP, 1L);
  }

  @Override
  protected void map(BytesWritable key, BytesWritable value, Context context) throws IOException, InterruptedException {
    byte[] row = RowKeyCodec.fromViewKeyBytes(key.getBytes(), 0, key.getLength());
    Put put = new Put(row);
    put.addColumn(HBaseSchema.VIEW_FAMILY, HBaseSchema.VIEW_QUALIFIER, timestamp, value.copyBytes());
    context.write(new ImmutableBytesWritable(row), put);
  }
}
