package org.lambdadist.speed;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.storage.hbase.EpochStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming context: the Kafka direct stream (offsets from HBase meta, auto-commit off;
 * each micro-batch's offsets committed to the consumer group afterwards, for monitoring only)
 * choosing each micro-batch's offset ranges, and the {@link MicroBatchWriter} writing them with
 * {@link SpeedGraph}'s one job (admission, dead letters, duplicate ids dropped within the window,
 * aggregation). Built anew at every start, with this start's settings: progress lives in HBase
 * meta and the dedup window in its own files ({@link DedupStates}), so no Spark checkpoint is
 * kept (one would pin the settings and the code it was made with).
 */
final class SpeedLayerJob {
  private static final Logger LOG = LoggerFactory.getLogger(SpeedLayerJob.class);

  private SpeedLayerJob() {}

  static SparkConf sparkConf(SpeedSettings s) {
    SparkConf conf = new SparkConf().setAppName("lambda-speed-layer");
    // Spark settings given like every other one (-D spark.x=y, lambda-site.xml); spark-submit's win.
    s.hadoopProperties.forEach((k, v) -> {
      if (k.startsWith("spark.")) {
        conf.setIfMissing(k, v);
      }
    });
    if (!conf.contains("spark.master")) {
      conf.setMaster(s.master);
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    // Each micro-batch takes what arrived since the last one, up to lambda.speed.max-rate-per-partition
    // events/s per partition (the one cap, sized for the default heap). Spark's backpressure is off
    // by default: its PID estimator takes records / processing time as the sustainable rate, which a
    // fixed cost per micro-batch (meta reads and writes, three stages) makes far too low; after one
    // slow batch (the first, compiling) it sat at its floor: 4,257 events/s consumed of 30,000
    // produced, the lag growing for good. Enabled with -D spark.streaming.backpressure.enabled=true,
    // it keeps a floor of a few thousand events/s.
    conf.setIfMissing("spark.streaming.backpressure.enabled", "false");
    conf.setIfMissing("spark.streaming.backpressure.pid.minRate", "4000");
    if (s.maxRatePerPartition > 0) {
      conf.setIfMissing("spark.streaming.kafka.maxRatePerPartition", Long.toString(s.maxRatePerPartition));
      conf.setIfMissing("spark.streaming.backpressure.initialRate", Long.toString(s.maxRatePerPartition));
    }
    // Producers with transactions leave offsets without records (markers, aborted records). The
    // ranges are read by the product's own reader (ReadRangesFn), which steps over them; Spark's
    // reader must stay in its consecutive mode, where counting a range never reads it (in the
    // other mode it reads, and waits forever on a range ending with a marker).
    conf.set("spark.streaming.kafka.allowNonConsecutiveOffsets", "false");
    // SIGTERM and Ctrl-C are handled by SpeedLayerMain before any shutdown hook; should the JVM
    // shut down otherwise, Spark's hook at least tries to finish the running micro-batch.
    conf.setIfMissing("spark.streaming.stopGracefullyOnShutdown", "true");
    // Framed events and cells cross the shuffles: Kryo is several times cheaper than Java serialization.
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.registerKryoClasses(new Class<?>[] {CellKey.class, byte[].class});
    return conf;
  }

  static Map<String, Object> kafkaParams(SpeedSettings s) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, s.group);
    // Offsets live in HBase meta beside the output; a new partition is read from its start.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Only committed transactions count: aborted records are never read, in both layers.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A task reads a whole range: fewer, larger polls than the default 500 records.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.putAll(LambdaKeys.kafkaClientSettings(s.hadoopProperties.entrySet()));
    return p;
  }

  /** A new streaming context with the whole graph; finishes an interrupted batch first. */
  static JavaStreamingContext create(SpeedSettings s, Clock clock) {
    JavaStreamingContext jssc = new JavaStreamingContext(sparkConf(s), Durations.milliseconds(s.intervalMillis));
    MicroBatchWriter writer = new MicroBatchWriter(s, clock);
    Map<TopicPartition, Long> start;
    try {
      start = finishPending(jssc.sparkContext(), s, writer);
    } catch (IOException e) {
      jssc.stop(true, false);
      throw new IllegalStateException("cannot read the speed layer's progress from HBase meta (tables created with"
          + " 'lambda create-tables'?): " + e.getMessage(), e);
    }
    LOG.info("starting from {}", start.isEmpty() ? "the start of every partition" : start);
    JavaInputDStream<ConsumerRecord<byte[], byte[]>> stream = KafkaUtils.createDirectStream(jssc,
        LocationStrategies.PreferConsistent(),
        // Assign, not Subscribe: the driver's consumer never joins the group, so no rebalance can
        // reset its positions to the group's offsets (committed for monitoring only, a micro-batch
        // behind meta) between Spark's seek and its first batch, which would read records again
        // under a new micro-batch. Every partition of the topic is assigned, at meta's offsets or
        // its start; a partition added to the topic later is read from the next start on.
        ConsumerStrategies.<byte[], byte[]>Assign(new ArrayList<>(start.keySet()), kafkaParams(s), start));
    // Spark's stream only chooses each micro-batch's offset ranges (with its rate limits and
    // backpressure); the writer reads them with the product's reader, in one job.
    stream.foreachRDD((rdd, time) -> {
      OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
      writer.write(JavaSparkContext.fromSparkContext(rdd.context()), ranges);
      // Committed in meta: now also to the consumer group, for Kafka's lag tools only (an empty
      // batch moves nothing). The group has no member (the stream's consumer is assigned its
      // partitions), so the admin client sets its offsets; the outcome is only logged and counted.
      if (java.util.Arrays.stream(ranges).anyMatch(r -> r.count() > 0)) {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
        for (OffsetRange r : ranges) {
          offsets.put(r.topicPartition(), new org.apache.kafka.clients.consumer.OffsetAndMetadata(r.untilOffset()));
        }
        SpeedResources.commitToGroup(s, offsets, new OffsetsToKafka());
      }
    });
    return jssc;
  }

  /**
   * Writes again, before the stream starts, a micro-batch that was interrupted (marked pending in
   * meta, not committed), so the stream starts exactly after it; returns where to start.
   */
  private static Map<TopicPartition, Long> finishPending(JavaSparkContext sc, SpeedSettings s, MicroBatchWriter writer)
      throws IOException {
    EpochStore epochs = new EpochStore(SpeedResources.hbase(s), SpeedResources.schema(s));
    MicroBatchLedger ledger = epochs.readProgress().ledger();
    if (ledger.pending() != null) {
      MicroBatchLedger.Batch p = ledger.pending();
      LOG.warn("micro-batch {} ({} .. {}) was interrupted: writing it again first", p.sequence(), p.from(), p.until());
      List<OffsetRange> ranges = new ArrayList<>();
      for (Map.Entry<Integer, Long> e : p.until().asMap().entrySet()) {
        ranges.add(OffsetRange.create(s.topic, e.getKey(), p.from().get(e.getKey()), e.getValue()));
      }
      writer.write(sc, ranges.toArray(new OffsetRange[0]));
      ledger = epochs.readProgress().ledger();
    }
    Map<TopicPartition, Long> start = beginnings(s);
    if (ledger.committed() != null) {
      for (Map.Entry<Integer, Long> e : ledger.committed().until().asMap().entrySet()) {
        start.put(new TopicPartition(s.topic, e.getKey()), e.getValue());
      }
    }
    return start;
  }

  /**
   * The first offset of every partition of the topic now: where a partition meta holds no
   * offset for starts. Given explicitly, so the stream never falls back on the consumer group's
   * offsets in Kafka, which are committed for monitoring only (after a reset of meta they would
   * silently skip records). A partition added later has no group offset and starts at its start.
   */
  private static Map<TopicPartition, Long> beginnings(SpeedSettings s) {
    Map<String, Object> params = new HashMap<>(kafkaParams(s));
    params.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(params)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(s.topic, java.time.Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(s.topic, p.partition()));
      }
      return new HashMap<>(consumer.beginningOffsets(partitions, java.time.Duration.ofSeconds(30)));
    }
  }
}
