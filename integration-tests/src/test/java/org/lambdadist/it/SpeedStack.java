package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.kafka.KafkaBroker;
import org.lambdadist.kafka.KafkaTopics;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.lambdadist.serving.store.EpochStore;
import org.lambdadist.serving.store.HBaseSchema;

/**
 * One in-process HBase, one in-process Kafka broker (topics {@code events} with 4 partitions
 * and {@code events.rejected}) and the HTTP API, for a test class; helpers to produce, to
 * wait until the speed layer has caught up, and to read every view back over HTTP.
 */
final class SpeedStack implements AutoCloseable {
  static final int PARTITIONS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  final HBaseTestingUtility hbase;
  final KafkaBroker kafka;
  final Configuration conf;
  final Connection connection;
  final ViewCatalog catalog = ClickstreamViews.catalog();
  final Path dir;
  private final ServingServer server;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();
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
    connection = ConnectionFactory.createConnection(conf);
    try (Admin admin = connection.getAdmin()) {
      new HBaseSchema(conf).createTables(admin);
    }
    Configuration serving = new Configuration(conf);
    serving.setInt("lambda.serving.meta-cache-ms", 100);
    server = new ServingServer(new ServingApi(serving, catalog, Clock.systemUTC()), "127.0.0.1", 0);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.port());
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

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every row the API answers for the keys the oracle knows, over the buckets it spans. */
  Map<String, ViewOracle.Row> lookupAll(Map<String, ViewOracle.Row> expected) throws Exception {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    Map<String, ViewOracle.Row> sample = new HashMap<>();
    for (ViewOracle.Row r : expected.values()) {
      String series = r.view() + "|" + r.granularity() + "|" + r.key();
      long t = java.time.Instant.parse(r.bucket()).toEpochMilli();
      long[] range = ranges.computeIfAbsent(series, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      range[0] = Math.min(range[0], t);
      range[1] = Math.max(range[1], t);
      sample.putIfAbsent(series, r);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, long[]> e : ranges.entrySet()) {
      ViewOracle.Row r = sample.get(e.getKey());
      ViewDefinition v = catalog.view(r.view());
      Granularity g = Granularity.fromLabel(r.granularity());
      StringBuilder q = new StringBuilder("/v1/views/" + r.view() + "/" + r.granularity() + "?from="
          + java.time.Instant.ofEpochMilli(e.getValue()[0]) + "&to=" + java.time.Instant.ofEpochMilli(g.bucketStart(e.getValue()[1]) + g.sizeMillis()));
      for (int i = 0; i < v.dimensions().size(); i++) {
        String value = r.key().get(i);
        q.append(value == null ? "&null=" + enc(v.dimensions().get(i)) : "&" + enc(v.dimensions().get(i)) + "=" + enc(value));
      }
      HttpResponse<String> resp = get(q.toString());
      assertEquals(200, resp.statusCode(), q + ": " + resp.body());
      for (JsonNode row : JSON.readTree(resp.body()).get("rows")) {
        lines.add(row.toString());
      }
    }
    return BatchHarness.parseExport(lines);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
