package org.lambdadist.speed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.WriterLease;

/**
 * The long-lived clients of one JVM (driver or executor): one HBase connection and one
 * dead-letter producer, opened on first use and shared by every task, as HBase and Kafka
 * recommend; on the driver also the lease and the metrics with their endpoint. Closed when the
 * JVM stops or the job ends.
 */
final class SpeedResources {
  private static Connection connection;
  private static HBaseSchema schema;
  private static KafkaProducer<byte[], byte[]> producer;
  private static WriterLease lease;
  private static SpeedMetrics metrics;
  private static MetricsEndpoint endpoint;
  private static org.apache.kafka.clients.admin.Admin admin;

  private SpeedResources() {}

  static synchronized Connection hbase(SpeedSettings settings) {
    if (connection == null || connection.isClosed()) {
      try {
        org.apache.hadoop.conf.Configuration conf = LambdaSettings.withHBase(settings.hadoopConf());
        connection = ConnectionFactory.createConnection(conf);
        schema = new HBaseSchema(conf);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to HBase: " + e.getMessage(), e);
      }
    }
    return connection;
  }

  static synchronized HBaseSchema schema(SpeedSettings settings) {
    hbase(settings);
    return schema;
  }

  static synchronized KafkaProducer<byte[], byte[]> deadLetters(SpeedSettings settings) {
    if (producer == null) {
      Properties p = new Properties();
      p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap);
      p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
      p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.putAll(LambdaKeys.kafkaClientSettings(settings.hadoopProperties.entrySet()));
      producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /**
   * Takes the speed layer's lease for this driver (waiting up to twice its time to live, long
   * enough for a killed predecessor's lease to expire) and renews it until {@link #closeAll}.
   * A speed layer still running elsewhere keeps renewing it: then this one refuses to start.
   */
  static synchronized WriterLease acquireLease(SpeedSettings settings, java.time.Clock clock) throws IOException {
    if (lease == null) {
      lease = WriterLease.acquire(hbase(settings), schema(settings), WriterLease.SPEED,
          WriterLease.holderId("speed", clock), settings.leaseTtlMillis, 2 * settings.leaseTtlMillis, clock)
          .withHeartbeat();
    }
    return lease;
  }

  /** The lease this driver holds; a driver without one must not commit. */
  static synchronized WriterLease lease() throws IOException {
    if (lease == null) {
      throw new WriterLease.LostException("the speed layer holds no lease: it must not commit");
    }
    return lease;
  }

  /**
   * Starts this driver's metrics and, unless {@code lambda.speed.metrics.port} is -1, their
   * endpoint; a port in use fails the start (a monitoring setting that silently does nothing
   * would hide the speed layer from its monitoring).
   */
  static synchronized SpeedMetrics startMetrics(SpeedSettings settings, java.time.Clock clock) {
    if (metrics == null) {
      metrics = new SpeedMetrics(settings, clock);
      if (settings.metricsPort >= 0) {
        try {
          endpoint = MetricsEndpoint.start(settings.metricsHost, settings.metricsPort, metrics);
        } catch (IOException e) {
          throw new IllegalStateException("cannot serve the speed layer's metrics on " + settings.metricsHost + ":"
              + settings.metricsPort + " (" + e.getMessage() + "): set " + LambdaKeys.SPEED_METRICS_PORT
              + " to a free port, 0 (any) or -1 (no endpoint)", e);
        }
      }
    }
    return metrics;
  }

  /** This driver's metrics; empty where none were started (executors, benchmarks, recovery tools). */
  static synchronized java.util.Optional<SpeedMetrics> metrics() {
    return java.util.Optional.ofNullable(metrics);
  }

  /** The port of this driver's metrics endpoint; -1 when it serves none. */
  static synchronized int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /**
   * Sets the consumer group's offsets to {@code offsets} (monitoring only: the speed layer
   * resumes from meta), asynchronously with this driver's one admin client; {@code outcome}
   * hears how it ended. Kafka accepts it while the group has no active member, as here: the
   * stream's consumer is assigned its partitions and never joins the group.
   */
  static synchronized void commitToGroup(SpeedSettings s,
      java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets,
      org.apache.kafka.clients.consumer.OffsetCommitCallback outcome) {
    try {
      if (admin == null) {
        java.util.Map<String, Object> p = new java.util.HashMap<>(SpeedLayerJob.kafkaParams(s));
        p.keySet().removeIf(k -> k.startsWith("key.") || k.startsWith("value.") || k.equals("group.id")
            || k.equals("auto.offset.reset") || k.equals("enable.auto.commit") || k.equals("isolation.level")
            || k.startsWith("max.poll") || k.startsWith("fetch.") || k.equals("receive.buffer.bytes"));
        admin = org.apache.kafka.clients.admin.Admin.create(p);
      }
      admin.alterConsumerGroupOffsets(s.group, offsets).all()
          .whenComplete((done, error) -> outcome.onComplete(offsets, error == null ? null
              : error instanceof Exception ? (Exception) error : new RuntimeException(error)));
    } catch (RuntimeException e) {
      outcome.onComplete(offsets, e);
    }
  }

  /** Closes what is open (the end of an in-process run; a new run opens them again). */
  static synchronized void closeAll() throws IOException {
    DedupStates.forgetAll();
    RangeReaders.closeAll();
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
      admin = null;
    }
    if (endpoint != null) {
      endpoint.close();
      endpoint = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    if (lease != null) {
      try {
        lease.close();
      } finally {
        lease = null;
      }
    }
    if (producer != null) {
      producer.close();
      producer = null;
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
