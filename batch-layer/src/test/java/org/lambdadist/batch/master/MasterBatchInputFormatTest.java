package org.lambdadist.batch.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterBatchInputFormatTest {

  @Test
  void batchesHoldExactlyTheRecordsOfEachSplitAsTheSequenceFileReaderReadsThem(@TempDir Path tmp) throws Exception {
    Configuration conf = new Configuration();
    conf.setInt("io.seqfile.compress.blocksize", 8192); // many sync blocks, so splits cut inside the file
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "part-00000.seq");
    int n = 30_000;
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(file),
        SequenceFile.Writer.keyClass(NullWritable.class), SequenceFile.Writer.valueClass(ArrivedEventWritable.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.BLOCK, new DefaultCodec()))) {
      for (int i = 0; i < n; i++) {
        byte[] raw = ("{\"event_id\":\"e" + i + "\",\"pad\":\"" + "x".repeat(i % 300) + "\"}").getBytes(StandardCharsets.UTF_8);
        w.append(NullWritable.get(), new ArrivedEventWritable(7, i % 3, i, 1_000L + i, raw, raw.length));
      }
    }
    long size = FileSystem.getLocal(conf).getFileStatus(file).getLen();
    Job job = Job.getInstance(conf);
    FileInputFormat.setInputPaths(job, file);
    FileInputFormat.setMaxInputSplitSize(job, size / 7 + 1);
    List<InputSplit> splits = new SequenceFileInputFormat<NullWritable, ArrivedEventWritable>().getSplits(job);
    assertTrue(splits.size() >= 4, "splits: " + splits.size());

    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    int batches = 0;
    for (InputSplit split : splits) {
      TaskAttemptContext ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<NullWritable, ArrivedEventWritable> r =
               new SequenceFileInputFormat<NullWritable, ArrivedEventWritable>().createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          expected.add(describe(r.getCurrentValue()));
        }
      }
      try (RecordReader<NullWritable, MasterRecordBatch> r = new MasterBatchInputFormat().createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        ArrivedEventWritable record = new ArrivedEventWritable();
        while (r.nextKeyValue()) {
          MasterRecordBatch batch = r.getCurrentValue();
          assertTrue(batch.size() > 0 && batch.size() <= MasterBatchInputFormat.BATCH_RECORDS);
          batches++;
          for (int i = 0; i < batch.size(); i++) {
            batch.read(i, record);
            actual.add(describe(record));
          }
        }
      }
      assertEquals(expected.size(), actual.size(), "split " + split);
    }
    assertEquals(n, expected.size(), "every record in exactly one split");
    assertEquals(expected, actual);
    assertTrue(batches < n / 100, "records are handed over in batches: " + batches);
  }

  private static String describe(ArrivedEventWritable r) {
    return r.epoch() + "/" + r.partition() + "/" + r.offset() + "/" + r.arrivalMillis() + "/"
        + new String(r.rawBuffer(), 0, r.length(), StandardCharsets.UTF_8);
  }
}
