package org.lambdadist.speed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.storage.hbase.EpochStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed layer's metrics, on the driver, in a Micrometer registry scraped in Prometheus'
 * format ({@link MetricsEndpoint}):
 * <ul>
 * <li>{@code lambda_speed_records_in_total}, {@code _accepted_total},
 * {@code _rejected_total{reason}} (core's {@link RejectReason}s) and {@code _duplicates_total}:
 * added when a micro-batch is committed in meta, from the same driver-side totals the commit
 * records, so they agree with {@code lambda status}; records in = accepted + rejected +
 * duplicates. A micro-batch written again after a crash counts in the run that commits it.
 * <li>{@code lambda_speed_batch_processing_seconds} and {@code _scheduling_delay_seconds}: from
 * Spark's {@link StreamingListener#onBatchCompleted} ({@link #listener()}).
 * <li>{@code lambda_speed_lag_records{topic,partition}}: the committed end of a partition
 * (last stable offset, what a read_committed reader can reach) minus the speed layer's
 * committed offset in meta; {@code lambda_speed_epoch_open_age_seconds} and
 * {@code lambda_speed_epoch_open}: from meta's epoch chain. Both are read at scrape time
 * ({@link #refresh()}), so they keep moving while the speed layer is stuck.
 * <li>{@code lambda_speed_kafka_offset_commits_total{result}}: the monitoring-only commits of
 * processed offsets to Kafka's consumer group.
 * <li>JVM basics: memory, GC, threads, classes, CPU, uptime.
 * </ul>
 */
final class SpeedMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpeedMetrics.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);

  private final SpeedSettings settings;
  private final Clock clock;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter in;
  private final Counter accepted;
  private final Counter duplicates;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Counter batches;
  private final Counter commitsDone;
  private final Counter commitsFailed;
  private final Timer processing;
  private final Timer schedulingDelay;
  private final Map<Integer, AtomicLong> lag = new ConcurrentHashMap<>();
  private volatile EpochChain chain;
  private Admin admin;

  SpeedMetrics(SpeedSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    in = Counter.builder("lambda.speed.records.in").description("Records read from Kafka and committed in a micro-batch")
        .register(registry);
    accepted = Counter.builder("lambda.speed.records.accepted")
        .description("Events aggregated into the realtime cells (duplicates dropped)").register(registry);
    duplicates = Counter.builder("lambda.speed.records.duplicates")
        .description("Copies of an event id dropped within a micro-batch or the dedup window").register(registry);
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, Counter.builder("lambda.speed.records.rejected").tag("reason", r.name())
          .description("Records sent to the dead-letter topic, by reason").register(registry));
    }
    batches = Counter.builder("lambda.speed.batches").description("Micro-batches with records committed in meta")
        .register(registry);
    commitsDone = Counter.builder("lambda.speed.kafka.offset.commits").tag("result", "ok")
        .description("Commits of processed offsets to the Kafka consumer group (monitoring only)").register(registry);
    commitsFailed = Counter.builder("lambda.speed.kafka.offset.commits").tag("result", "failed")
        .description("Commits of processed offsets to the Kafka consumer group (monitoring only)").register(registry);
    processing = Timer.builder("lambda.speed.batch.processing").description("Processing time of a micro-batch")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    schedulingDelay = Timer.builder("lambda.speed.batch.scheduling.delay")
        .description("Time a micro-batch waited for the previous ones before it started")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    Gauge.builder("lambda.speed.epoch.open.age", this, SpeedMetrics::openEpochAgeSeconds).baseUnit("seconds")
        .description("Seconds since the open arrival epoch started (NaN before the first micro-batch)").register(registry);
    Gauge.builder("lambda.speed.epoch.open", this, m -> m.chain == null ? Double.NaN : m.chain.openEpoch())
        .description("Number of the open arrival epoch").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** A micro-batch committed in meta with these counts (rejected per {@link RejectReason} name). */
  void committed(long acceptedCount, Map<String, Long> rejectedByReason, long duplicateCount) {
    long rejectedCount = 0;
    for (Map.Entry<String, Long> e : rejectedByReason.entrySet()) {
      rejected.get(RejectReason.valueOf(e.getKey())).increment(e.getValue());
      rejectedCount += e.getValue();
    }
    accepted.increment(acceptedCount);
    duplicates.increment(duplicateCount);
    in.increment(acceptedCount + rejectedCount + duplicateCount);
    batches.increment();
  }

  /** The result of a monitoring commit of offsets to Kafka. */
  void offsetsCommitted(boolean ok) {
    (ok ? commitsDone : commitsFailed).increment();
  }

  /** Records each completed micro-batch's processing time and scheduling delay. */
  StreamingListener listener() {
    return new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        if (info.processingDelay().isDefined()) {
          processing.record((Long) info.processingDelay().get(), TimeUnit.MILLISECONDS);
        }
        if (info.schedulingDelay().isDefined()) {
          schedulingDelay.record((Long) info.schedulingDelay().get(), TimeUnit.MILLISECONDS);
        }
      }
    };
  }

  /**
   * Rereads what the gauges show: meta's epoch chain and committed offsets, and the partitions'
   * ends from Kafka (two small requests). Should either be unreachable the gauges keep their last
   * values and a warning says why: a scrape never fails for it.
   */
  void refresh() {
    try {
      EpochStore epochs = new EpochStore(SpeedResources.hbase(settings), SpeedResources.schema(settings));
      chain = epochs.readChain();
      EpochStore.SpeedProgress progress = epochs.readProgress();
      Map<Integer, Long> committed = progress.ledger().committed() == null ? Map.of()
          : progress.ledger().committed().until().asMap();
      Map<Integer, Long> starts = null;
      for (Map.Entry<Integer, Long> end : offsets(OffsetSpec.latest()).entrySet()) {
        Long at = committed.get(end.getKey());
        if (at == null) { // not read yet: the speed layer starts it from its first offset
          starts = starts == null ? offsets(OffsetSpec.earliest()) : starts;
          at = starts.getOrDefault(end.getKey(), 0L);
        }
        lagOf(end.getKey()).set(Math.max(0, end.getValue() - at));
      }
    } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
      LOG.warn("metrics: cannot refresh the lag and epoch gauges (they keep their last values): {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private AtomicLong lagOf(int partition) {
    return lag.computeIfAbsent(partition, p -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("lambda.speed.lag", value, AtomicLong::get).baseUnit("records")
          .tag("topic", settings.topic).tag("partition", Integer.toString(p))
          .description("Records of the partition the speed layer has not committed yet").register(registry);
      return value;
    });
  }

  private Map<Integer, Long> endOffsets() throws InterruptedException, ExecutionException, TimeoutException {
    return offsets(OffsetSpec.latest());
  }

  private synchronized Map<Integer, Long> offsets(OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (admin == null) {
      Properties p = new Properties();
      p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap);
      p.putAll(LambdaKeys.kafkaClientSettings(settings.hadoopProperties.entrySet()));
      admin = Admin.create(p);
    }
    TopicDescription topic = admin.describeTopics(List.of(settings.topic)).allTopicNames()
        .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(settings.topic);
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    for (TopicPartitionInfo info : topic.partitions()) {
      asked.put(new TopicPartition(settings.topic, info.partition()), spec);
    }
    ListOffsetsResult result = admin.listOffsets(asked,
        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs((int) KAFKA_TIMEOUT.toMillis()));
    Map<Integer, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
        : result.all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
      out.put(e.getKey().partition(), e.getValue().offset());
    }
    return out;
  }

  private double openEpochAgeSeconds() {
    EpochChain c = chain;
    return c == null ? Double.NaN : Math.max(0, clock.millis() - c.openSinceMillis()) / 1000.0;
  }

  /** The metrics in Prometheus' text format, gauges refreshed first. */
  String scrape() {
    refresh();
    return registry.scrape();
  }

  @Override
  public synchronized void close() {
    gc.close();
    registry.close();
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
