package org.lambdadist.batch.archive;

import org.lambdadist.batch.LambdaConfiguration;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options.Rename;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.storage.layout.EpochManifest;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.batch.partial.PartialSet;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.kafka.KafkaLog;
import org.lambdadist.storage.hbase.WriterLease;

/**
 * {@code archive}: copies every closed arrival epoch not yet in the master dataset from Kafka
 * into {@code master/epoch=<n>/}: one MapReduce job per epoch, one split per partition range,
 * block-compressed SequenceFiles like {@code import}'s, a manifest with the exact offset
 * ranges, {@code _SUCCESS}, then one atomic rename. A rerun (after a crash too) redoes only
 * what is not committed and yields the same epochs: the ranges come from meta, never from
 * "now". When no speed layer has made progress for {@code lambda.epoch.interval}, it first
 * closes the open epoch at Kafka's current end offsets (check-and-mutate: one writer wins).
 */
public final class ArchiveTool extends HBaseTool {
  public static final String NAME = "archive";

  private final Clock clock;

  public ArchiveTool() {
    this(Clock.systemUTC());
  }

  public ArchiveTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ArchiveTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "archive [generic options]   (Kafka: lambda.kafka.bootstrap, lambda.kafka.topic; root: lambda.root)";
  }

  /** What one run did. */
  public record Result(List<Long> archived, long records, Long closedEpoch) {}

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    archive(hbaseConf());
    return 0;
  }

  /** Archives every closed epoch missing from the master dataset; see the class comment. */
  public Result archive(Configuration conf) throws Exception {
    Path root = new Path(LambdaSettings.get(conf, LambdaKeys.ROOT));
    MasterDataset master = new MasterDataset(conf, root);
    String topic = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
    long epochInterval = LambdaSettings.getMillis(conf, LambdaKeys.EPOCH_INTERVAL);
    KafkaLog.requireReachable(conf);
    try (Connection hbase = connect(conf);
         WriterLease lease = batchLease(hbase, conf, clock);
         KafkaConsumer<byte[], byte[]> kafka = KafkaLog.consumer(conf)) {
      HBaseSchema schema = new HBaseSchema(conf);
      EpochStore epochs = new EpochStore(hbase, schema);
      long now = clock.millis();
      EpochChain chain = epochs.readChain();
      if (chain == null) {
        chain = epochs.startChain(master.nextEpoch(), now);
        err.printf("archive: started the epoch chain at epoch %d%n", chain.first());
      }
      Long closed = null;
      long lastProgress = Math.max(epochs.readProgress().committedAtMillis(), chain.openSinceMillis());
      if (now - lastProgress >= epochInterval) {
        PartitionOffsets end = KafkaLog.endOffsets(kafka, topic);
        if (!chain.openStart().with(end).equals(chain.openStart())) {
          long epoch = chain.openEpoch();
          lease.check("close epoch " + epoch);
          chain = epochs.close(chain, end, now, "archive");
          closed = epoch;
          err.printf("archive: no speed layer progress for %d s: closed epoch %d at %s%n", (now - lastProgress) / 1000,
              epoch, chain.endOf(epoch));
        }
      }
      List<Long> archived = new ArrayList<>();
      long records = 0;
      for (long epoch = chain.first(); epoch <= chain.lastClosed(); epoch++) {
        if (master.fileSystem().exists(master.epochDir(epoch))) {
          requireKafkaEpoch(master, epoch);
          continue;
        }
        records += archiveEpoch(conf, master, kafka, lease, topic, epoch, chain.startOf(epoch), chain.endOf(epoch));
        archived.add(epoch);
      }
      err.printf("archive: %s; open epoch %d since %s%n",
          archived.isEmpty() ? "every closed epoch was already archived"
              : String.format("archived epoch(s) %s, %,d records", archived, records),
          chain.openEpoch(), Instant.ofEpochMilli(chain.openSinceMillis()));
      return new Result(archived, records, closed);
    }
  }

  private long archiveEpoch(Configuration conf, MasterDataset master, KafkaConsumer<byte[], byte[]> kafka,
                            WriterLease lease, String topic, long epoch, PartitionOffsets from, PartitionOffsets until)
      throws Exception {
    checkRetained(kafka, topic, epoch, from, until);
    FileSystem fs = master.fileSystem();
    // A directory of this run's own (its lease token is unique): no other archiver, past or
    // present, writes or deletes it. A crashed run's leftovers are redone from the same ranges.
    String prefix = DataLayout.epochDirectoryName(epoch) + ".archive";
    Path tmp = new Path(master.tmpDir(), prefix + "." + lease.token());
    // Leftovers of crashed or fenced runs of this epoch: under the lease no other archiver runs.
    if (fs.exists(master.tmpDir())) {
      for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(master.tmpDir())) {
        String n = st.getPath().getName();
        if (n.equals(prefix) || n.startsWith(prefix + ".")) {
          fs.delete(st.getPath(), true);
        }
      }
    }
    long started = clock.millis();
    Job job = Job.getInstance(conf, "lambda archive epoch " + epoch);
    LambdaConfiguration.setJobJar(job, ArchiveTool.class);
    job.setInputFormatClass(KafkaRangeInputFormat.class);
    KafkaRangeInputFormat.configure(job.getConfiguration(), epoch, from, until);
    job.setMapperClass(ArchiveMapper.class);
    job.setNumReduceTasks(0);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(ArrivedEventWritable.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    FileOutputFormat.setOutputPath(job, tmp);
    FileOutputFormat.setCompressOutput(job, true);
    SequenceFileOutputFormat.setOutputCompressionType(job, SequenceFile.CompressionType.BLOCK);
    CompressionCodec codec = MasterDataset.codec(conf);
    FileOutputFormat.setOutputCompressorClass(job, codec.getClass());
    // Exactly once per range: a second attempt of a task would read the same range again.
    job.getConfiguration().setBoolean("mapreduce.map.speculative", false);
    if (!org.lambdadist.batch.JobProgress.run(job, err)) {
      throw new UserError("the archive job of epoch " + epoch + " failed (" + job.getStatus().getFailureInfo()
          + "); nothing was committed, run archive again");
    }
    // The job names its files by task, and tasks run in split-size order, not partition order:
    // each file says its partition by its records. Every file is read here and must hold exactly
    // the records the job counted for its partition, before anything is committed.
    List<EpochManifest.OffsetRange> ranges = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : until.asMap().entrySet()) {
      ranges.add(new EpochManifest.OffsetRange(topic, e.getKey(), from.get(e.getKey()), e.getValue()));
    }
    List<EpochManifest.FileEntry> files = filesOf(conf, fs, tmp, topic, from, until);
    long records = 0;
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (EpochManifest.FileEntry f : files) {
      long counted = job.getCounters().findCounter(ArchiveMapper.PARTITION_GROUP, Integer.toString(f.partition())).getValue();
      if (!seen.add(f.partition()) || counted != f.records()) {
        throw new UserError("archive: epoch " + epoch + ": " + f.file() + " holds " + f.records() + " records of partition "
            + f.partition() + ", the job read " + counted + "; nothing was committed, run archive again");
      }
      records += f.records();
    }
    for (Map.Entry<Integer, Long> e : until.asMap().entrySet()) {
      long counted = job.getCounters().findCounter(ArchiveMapper.PARTITION_GROUP, Integer.toString(e.getKey())).getValue();
      if (counted > 0 && !seen.contains(e.getKey())) {
        throw new UserError("archive: epoch " + epoch + ": no file holds the " + counted + " records of partition "
            + e.getKey() + "; nothing was committed, run archive again");
      }
    }
    EpochManifest manifest = new EpochManifest(epoch, Instant.ofEpochMilli(clock.millis()).toString(), "kafka", records,
        files, ranges);
    fs.delete(new Path(tmp, MasterDataset.SUCCESS), false); // the committer's marker; ours goes after the manifest
    try (OutputStream out = fs.create(new Path(tmp, MasterDataset.MANIFEST), false)) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, manifest);
    }
    fs.create(new Path(tmp, MasterDataset.SUCCESS), false).close();
    lease.check("commit epoch " + epoch);
    FileContext.getFileContext(fs.getUri(), conf).rename(tmp, master.epochDir(epoch), Rename.NONE);
    master.markCommitted();
    err.printf("archive: epoch %d: %,d records from %s .. %s in %.1f s%n", epoch, records, from, until,
        (clock.millis() - started) / 1000.0);
    PartialSet.indexCommittedEpoch(conf, master, epoch, err);
    return records;
  }

  /**
   * The data files of an archive job's output, each read through: its records and the partition
   * they came from. Files without records (a range of markers only) are deleted; any other file
   * that is not a SequenceFile of one partition fails the archive.
   */
  private static List<EpochManifest.FileEntry> filesOf(Configuration conf, FileSystem fs, Path dir, String topic,
                                                       PartitionOffsets from, PartitionOffsets until)
      throws IOException, UserError {
    List<EpochManifest.FileEntry> files = new ArrayList<>();
    org.apache.hadoop.fs.FileStatus[] listing = fs.listStatus(dir);
    java.util.Arrays.sort(listing);
    for (org.apache.hadoop.fs.FileStatus st : listing) {
      String name = st.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      long n = 0;
      int partition = -1;
      try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(st.getPath()))) {
        ArrivedEventWritable record = new ArrivedEventWritable();
        while (reader.next(NullWritable.get(), record)) {
          if (partition >= 0 && record.partition() != partition) {
            throw new UserError("archive: " + st.getPath() + " mixes partitions " + partition + " and " + record.partition());
          }
          partition = record.partition();
          n++;
        }
      }
      if (n == 0) {
        fs.delete(st.getPath(), false);
        continue;
      }
      files.add(new EpochManifest.FileEntry(name, partition, "kafka:" + topic + "/" + partition, n, from.get(partition),
          until.get(partition) - 1, 0, 0));
    }
    return files;
  }

  private static void requireKafkaEpoch(MasterDataset master, long epoch) throws IOException, UserError {
    Path manifest = new Path(master.epochDir(epoch), MasterDataset.MANIFEST);
    try (InputStream in = master.fileSystem().open(manifest)) {
      EpochManifest m = new ObjectMapper().readValue(in, EpochManifest.class);
      if (!"kafka".equals(m.source())) {
        throw new UserError("master dataset epoch " + epoch + " came from " + m.source() + ", but Kafka epoch " + epoch
            + " is closed in HBase meta: an import took a number the stream owns; move "
            + master.epochDir(epoch) + " aside (and import it again later) to archive the stream");
      }
    }
  }

  private static void checkRetained(KafkaConsumer<byte[], byte[]> kafka, String topic, long epoch, PartitionOffsets from,
                                    PartitionOffsets until) throws UserError {
    List<TopicPartition> tps = until.asMap().keySet().stream().map(p -> new TopicPartition(topic, p))
        .collect(Collectors.toList());
    Map<TopicPartition, Long> starts = kafka.beginningOffsets(tps);
    for (TopicPartition tp : tps) {
      long need = from.get(tp.partition());
      long end = until.get(tp.partition());
      Long logStart = starts.get(tp);
      if (end > need && (logStart == null || logStart > need)) {
        throw new UserError(goneMessage(epoch, topic, tp.partition(), need, end, logStart == null ? -1 : logStart));
      }
    }
  }

  static String goneMessage(long epoch, String topic, int partition, long from, long until, long logStart) {
    return "epoch " + epoch + " needs offsets [" + from + ", " + until + ") of " + topic + " partition " + partition
        + ", but the log " + (logStart < 0 ? "does not have that partition" : "starts at " + logStart)
        + ": retention removed them. Nothing was archived; the epoch cannot be archived from Kafka";
  }



}
