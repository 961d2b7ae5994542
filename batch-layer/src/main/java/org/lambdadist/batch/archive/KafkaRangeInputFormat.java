package org.lambdadist.batch.archive;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.kafka.KafkaLog;
import org.lambdadist.storage.kafka.OffsetRangeReader;

/**
 * Reads exact Kafka offset ranges: the splits are the ranges of one epoch (set by the
 * archiver in the job's configuration), one per partition with records; each record becomes
 * an {@link ArrivedEventWritable} of that epoch (the record's Kafka timestamp is its arrival
 * time). A range the log no longer holds fails the task with the partition and offsets.
 */
public final class KafkaRangeInputFormat extends InputFormat<NullWritable, ArrivedEventWritable> {
  static final String EPOCH = "lambda.archive.epoch";
  static final String FROM = "lambda.archive.from";
  static final String UNTIL = "lambda.archive.until";
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final int EMPTY_POLLS_ALLOWED = 24;

  static void configure(Configuration conf, long epoch, PartitionOffsets from, PartitionOffsets until) {
    conf.setLong(EPOCH, epoch);
    conf.set(FROM, from.toString());
    conf.set(UNTIL, until.toString());
  }

  @Override
  public List<InputSplit> getSplits(JobContext context) {
    Configuration conf = context.getConfiguration();
    String topic = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
    long epoch = conf.getLong(EPOCH, -1);
    PartitionOffsets from = PartitionOffsets.parse(conf.get(FROM));
    PartitionOffsets until = PartitionOffsets.parse(conf.get(UNTIL));
    List<InputSplit> splits = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : until.asMap().entrySet()) {
      long start = from.get(e.getKey());
      if (e.getValue() > start) {
        splits.add(new KafkaRangeSplit(topic, e.getKey(), start, e.getValue(), epoch));
      }
    }
    return splits;
  }

  @Override
  public RecordReader<NullWritable, ArrivedEventWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new RangeReader();
  }

  /** Reads one range with an assigned (group-less) consumer, as {@link OffsetRangeReader} does. */
  static final class RangeReader extends RecordReader<NullWritable, ArrivedEventWritable> {
    private KafkaRangeSplit split;
    private OffsetRangeReader reader;
    private final ArrivedEventWritable value = new ArrivedEventWritable();
    private long position;

    @Override
    public void initialize(InputSplit inputSplit, TaskAttemptContext context) throws IOException {
      split = (KafkaRangeSplit) inputSplit;
      reader = new OffsetRangeReader(KafkaLog.consumer(context.getConfiguration()), split.topic(), split.partition(),
          split.from(), split.until(), POLL, EMPTY_POLLS_ALLOWED);
      long logStart = reader.logStart();
      if (logStart > split.from()) {
        throw new IOException(ArchiveTool.goneMessage(split.epoch(), split.topic(), split.partition(), split.from(),
            split.until(), logStart));
      }
      position = split.from();
    }

    @Override
    public boolean nextKeyValue() throws IOException {
      try {
        if (!reader.hasNext()) {
          return false;
        }
      } catch (java.io.UncheckedIOException e) {
        throw new IOException(e.getCause().getMessage() + " (" + split + ")", e.getCause());
      }
      ConsumerRecord<byte[], byte[]> r = reader.next();
      position = r.offset() + 1;
      byte[] v = r.value() == null ? new byte[0] : r.value();
      value.set(split.epoch(), split.partition(), r.offset(), r.timestamp(), v, v.length);
      return true;
    }

    @Override
    public NullWritable getCurrentKey() {
      return NullWritable.get();
    }

    @Override
    public ArrivedEventWritable getCurrentValue() {
      return value;
    }

    @Override
    public float getProgress() {
      return split.getLength() == 0 ? 1f : (float) (position - split.from()) / split.getLength();
    }

    @Override
    public void close() {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }
}
