package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.kafka.KafkaBroker;
import org.lambdadist.kafka.KafkaTopics;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;

/**
 * One in-process HBase, one in-process Kafka broker (topics {@code events} with 4 partitions
 * and {@code events.rejected}) and the HTTP API, for a test class; helpers to produce, to
 * wait until the speed layer has caught up, and to read every view back over HTTP.
 */
final class SpeedStack implements AutoCloseable {
  static final int PARTITIONS = 4;
  final HBaseTestingUtility hbase;
  final KafkaBroker kafka;
  final Configuration conf;
  final Connection connection;
  final ViewCatalog catalog = ClickstreamViews.catalog();
  final Path dir;
  private final ServingServer server;
  private final ServingHttp api;
  private final KafkaProducer<byte[], byte[]> producer;

  SpeedStack(Path dir) throws Exception {
    this.dir = dir;
    hbase = MiniHBase.start(dir);
    kafka = KafkaBroker.startOnFreePorts(dir.resolve("kafka"), PARTITIONS);
    KafkaTopics.ensure(kafka.bootstrap(), KafkaTopics.EVENTS, PARTITIONS);
    KafkaTopics.ensure(kafka.bootstrap(), KafkaTopics.REJECTED, 1);

    conf = new Configuration(hbase.getConfiguration());
    conf.addResource("lambda-default.xml");
    conf.set("fs.defaultFS", "file:///");
    conf.set("lambda.root", dir.resolve("root").toUri().toString());
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
    conf.set("hbase.fs.tmp.dir", dir.resolve("hbase-staging").toUri().toString());
    conf.set("lambda.kafka.bootstrap", kafka.bootstrap());
    conf.set("lambda.speed.interval", "1s");
    conf.set("lambda.speed.checkpoint", dir.resolve("checkpoint").toString());
    conf.set("lambda.speed.metrics.port", "0"); // any free port: sessions and JVMs side by side
    connection = ConnectionFactory.createConnection(conf);
    try (Admin admin = connection.getAdmin()) {
      new HBaseSchema(conf).createTables(admin);
    }
    Configuration serving = new Configuration(conf);
    serving.setInt("lambda.serving.meta-cache-ms", 100);
    server = new ServingServer(new ServingApi(serving, catalog, Clock.systemUTC()), "127.0.0.1", 0);
    server.start();
    api = new ServingHttp(URI.create("http://127.0.0.1:" + server.port()), catalog);
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Produces lines (spread over the partitions) and feeds the accepted ones to the oracles. */
  void produce(List<String> lines, ViewOracle... oracles) throws Exception {
    for (String line : lines) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(KafkaTopics.EVENTS, bytes));
      for (ViewOracle o : oracles) {
        o.accept(bytes);
      }
    }
    producer.flush();
  }

  /** The end offsets of the events topic now. */
  PartitionOffsets endOffsets() {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(KafkaTopics.EVENTS)) {
        tps.add(new TopicPartition(KafkaTopics.EVENTS, i.partition()));
      }
      Map<Integer, Long> end = new HashMap<>();
      c.endOffsets(tps).forEach((tp, o) -> end.put(tp.partition(), o));
      return PartitionOffsets.of(end);
    }
  }

  long countRecords(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, i.partition()));
      }
      long n = 0;
      for (Map.Entry<TopicPartition, Long> e : c.endOffsets(tps).entrySet()) {
        n += e.getValue();
      }
      return n;
    }
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Waits until the speed layer's committed offsets reach the topic's end (lag 0). */
  void awaitCaughtUp(Duration timeout) throws Exception {
    PartitionOffsets end = endOffsets();
    EpochStore epochs = new EpochStore(connection, new HBaseSchema(conf));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      EpochStore.SpeedProgress p = epochs.readProgress();
      if (p.ledger().committed() != null && p.ledger().committed().until().atOrAfter(end)) {
        TimeUnit.MILLISECONDS.sleep(300); // one meta reread of the serving layer
        return;
      }
      assertTrue(System.nanoTime() < deadline, "speed layer not caught up with " + end + " after " + timeout
          + "; committed " + (p.ledger().committed() == null ? "nothing" : p.ledger().committed().until()));
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * The running speed layer's {@code GET /metrics}, as samples: {@code name{labels}} (labels as
   * the endpoint prints them, sorted by name) to value. Checks the status and content type.
   */
  static Map<String, Double> speedMetrics(int port) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        r.headers().toString());
    Map<String, Double> samples = new java.util.TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** Waits until the consumer group's offsets committed in Kafka equal {@code expected}. */
  void awaitGroupOffsets(String group, PartitionOffsets expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", kafka.bootstrap()))) {
      while (true) {
        Map<Integer, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
            .forEach((tp, o) -> committed.put(tp.partition(), o.offset()));
        PartitionOffsets actual = PartitionOffsets.of(committed);
        if (actual.equals(expected)) {
          return;
        }
        assertTrue(System.nanoTime() < deadline, "group " + group + " in Kafka: " + actual + ", in meta: " + expected);
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return api.get(pathAndQuery);
  }

  /** Every row the API answers for the keys the oracle knows, over the buckets it spans. */
  Map<String, ViewOracle.Row> lookupAll(Map<String, ViewOracle.Row> expected) throws Exception {
    return api.lookupAll(expected);
  }

  @Override
  public void close() throws Exception {
    producer.close();
    server.close();
    connection.close();
    kafka.close();
    hbase.shutdownMiniHBaseCluster();
    hbase.shutdownMiniZKCluster();
  }
}
