package org.lambdadist.batch.master;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;

/**
 * The master dataset's files split as {@link SequenceFileInputFormat} splits them (the same
 * records in the same split), read in {@link MasterRecordBatch}es of up to
 * {@value #BATCH_RECORDS} records or {@value #BATCH_BYTES} bytes: values are copied raw, in
 * bulk, and decoded from arrays by the mapper. A record belongs to the split where its sync
 * block starts, exactly as in {@code SequenceFileRecordReader}.
 */
public final class MasterBatchInputFormat extends SequenceFileInputFormat<NullWritable, MasterRecordBatch> {
  static final int BATCH_RECORDS = 1024;
  static final int BATCH_BYTES = 1 << 20;

  @Override
  public RecordReader<NullWritable, MasterRecordBatch> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new BatchReader();
  }

  private static final class BatchReader extends RecordReader<NullWritable, MasterRecordBatch> {
    private SequenceFile.Reader in;
    private long start;
    private long end;
    private boolean more = true;
    private final MasterRecordBatch batch = new MasterRecordBatch();
    private final DataOutputBuffer key = new DataOutputBuffer();
    private final DataOutputBuffer value = new DataOutputBuffer();
    private SequenceFile.ValueBytes valueBytes;
    private final java.io.DataOutputStream valueOut = new java.io.DataOutputStream(value);

    @Override
    public void initialize(InputSplit split, TaskAttemptContext context) throws IOException {
      FileSplit fileSplit = (FileSplit) split;
      Configuration conf = context.getConfiguration();
      Path path = fileSplit.getPath();
      in = new SequenceFile.Reader(conf, SequenceFile.Reader.file(path));
      end = fileSplit.getStart() + fileSplit.getLength();
      if (fileSplit.getStart() > in.getPosition()) {
        in.sync(fileSplit.getStart());
      }
      start = in.getPosition();
      more = start < end;
      valueBytes = in.createValueBytes();
    }

    @Override
    public boolean nextKeyValue() throws IOException {
      batch.clear();
      while (more && batch.size() < BATCH_RECORDS && batch.bytes() < BATCH_BYTES) {
        long pos = in.getPosition();
        key.reset();
        boolean remaining = in.nextRaw(key, valueBytes) >= 0;
        if (!remaining || (pos >= end && in.syncSeen())) {
          more = false;
          break;
        }
        value.reset();
        valueBytes.writeUncompressedBytes(valueOut);
        batch.add(value.getData(), 0, value.getLength());
      }
      return batch.size() > 0;
    }

    @Override
    public NullWritable getCurrentKey() {
      return NullWritable.get();
    }

    @Override
    public MasterRecordBatch getCurrentValue() {
      return batch;
    }

    @Override
    public float getProgress() throws IOException {
      if (end == start) {
        return 0f;
      }
      return Math.min(1f, (in.getPosition() - start) / (float) (end - start));
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
