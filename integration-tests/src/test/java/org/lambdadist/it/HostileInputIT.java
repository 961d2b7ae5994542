package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.spark.streaming.StreamingContextState;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.testing.HostileEvents;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.kafka.KafkaTopics;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.speed.SpeedLayerMain;

/**
 * Issue 10's promise end to end: the same hostile corpus (ordinary clickstream events mixed
 * with long strings, huge exponents, 10,000-digit numbers, deep nesting, NaN, bad UTF-8, lone
 * surrogates, duplicate keys and extreme timestamps) through import → aggregate → load → HTTP
 * and through Kafka → speed layer → HTTP. Both succeed, the speed layer stays up, every row
 * equals the oracle, and both layers split the records into accepted and rejected-by-reason
 * exactly as core's one rule does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Keys a URL carries as they are (the others are checked through the batch export). */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./-]{0,100}");

  /** Exact below 1,024 distinct values (the oracle's exact sets), HLL's 3 sigma above. */
  private static final double DISTINCT_TOLERANCE = 0.05;

  private SpeedStack stack;
  private final List<byte[]> corpus = new ArrayList<>();
  private final Map<String, Long> expectedRejects = new TreeMap<>();
  private ViewOracle oracle;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    stack = new SpeedStack(dir);
    oracle = new ViewOracle(stack.catalog);
    EventRules rules = EventRules.of(stack.catalog, EventLimits.defaults());
    for (byte[] line : HostileEvents.corpus(2026, 4_000, 1_500)) {
      if (new String(line, StandardCharsets.UTF_8).isBlank()) {
        continue; // import skips blank lines; a blank Kafka message is a reject: not comparable
      }
      corpus.add(line);
      oracle.accept(line);
      ParseResult r = rules.read(line);
      if (!r.isAccepted()) {
        expectedRejects.merge(r.rejection().reason().name(), 1L, Long::sum);
      }
    }
    assertTrue(expectedRejects.size() >= 7, "the corpus reaches most reasons: " + expectedRejects);
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /** Rows whose keys a URL carries plainly: the ordinary ones and many hostile ones. */
  private Map<String, ViewOracle.Row> plainRows(Map<String, ViewOracle.Row> rows) {
    Map<String, ViewOracle.Row> plain = new TreeMap<>();
    rows.forEach((id, r) -> {
      if (r.key().stream().allMatch(k -> k == null || PLAIN.matcher(k).matches())) {
        plain.put(id, r);
      }
    });
    return plain;
  }

  @Test
  void theSpeedLayerDeadLettersWhatCoreRejectsStaysUpAndEqualsTheOracle() throws Exception {
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(producerProps(),
        new org.apache.kafka.common.serialization.ByteArraySerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      for (byte[] line : corpus) {
        // One partition, so the first copy of a reused id is the first in corpus order, as in the
        // batch (hostile records reuse ids like "" with other content).
        producer.send(new ProducerRecord<>(KafkaTopics.EVENTS, 0, null, line));
      }
      producer.flush();
    }
    JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(stack.conf), Clock.systemUTC());
    try {
      stack.awaitCaughtUp(Duration.ofMinutes(3));
      assertEquals(StreamingContextState.ACTIVE, speed.getState(), "the speed layer stays up");
      EpochStore.SpeedProgress progress = new EpochStore(stack.connection, new HBaseSchema(stack.conf)).readProgress();
      assertEquals(oracle.accepted() - oracle.duplicates(), progress.accepted());
      assertEquals(oracle.rejected(), progress.rejected());
      assertEquals(corpus.size(), progress.accepted() + progress.duplicates() + progress.rejected(),
          "accepted + dead-lettered = the records sent");
      assertEquals(expectedRejects, deadLettersByReason(), "dead letters by reason, as core's rule decides");

      Map<String, ViewOracle.Row> expected = plainRows(oracle.rows());
      assertTrue(expected.size() > 1_000, "rows checked over HTTP: " + expected.size());
      List<String> diffs = ViewOracle.differences(expected, stack.lookupAll(expected), stack.catalog, DISTINCT_TOLERANCE);
      assertTrue(diffs.isEmpty(), "speed layer vs oracle: " + diffs);
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
  }

  @Test
  void theBatchLayerQuarantinesWhatCoreRejectsAndServesEveryRowOfTheOracle() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    conf.set("lambda.root", stack.dir.resolve("batch-root").toUri().toString());
    conf.set("lambda.hbase.namespace", "hostile_batch");
    try (Admin admin = stack.connection.getAdmin()) {
      new HBaseSchema(conf).createTables(admin);
    }
    BatchHarness batch = new BatchHarness(conf);
    Path file = stack.dir.resolve("hostile.jsonl");
    try (var out = Files.newOutputStream(file)) {
      for (byte[] line : corpus) {
        out.write(line);
        out.write('\n');
      }
    }
    BatchHarness.Run imported = batch.importFiles(file.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    BatchHarness.Run agg = batch.aggregate();
    assertEquals(0, agg.exitCode(), agg.err());
    Map<String, ViewOracle.Row> exported = BatchExports.all(batch, stack.catalog, stack.dir);
    List<String> diffs = ViewOracle.differences(oracle.rows(), exported, stack.catalog, DISTINCT_TOLERANCE);
    assertTrue(diffs.isEmpty(), "every row of the batch view vs the oracle: " + diffs);
    assertEquals(expectedRejects, quarantineByReason(conf), "quarantine by reason, as core's rule decides");
    long quarantined = expectedRejects.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(corpus.size(), oracle.accepted() + quarantined, "accepted + quarantined = the lines imported");

    BatchHarness.Run load = batch.load();
    assertEquals(0, load.exitCode(), load.err());
    Configuration serving = new Configuration(conf);
    serving.setInt("lambda.serving.meta-cache-ms", 100);
    try (ServingServer server = new ServingServer(new ServingApi(serving, stack.catalog, Clock.systemUTC()),
        "127.0.0.1", 0)) {
      server.start();
      TimeUnit.MILLISECONDS.sleep(300);
      ServingHttp api = new ServingHttp(URI.create("http://127.0.0.1:" + server.port()), stack.catalog);
      Map<String, ViewOracle.Row> expected = plainRows(oracle.rows());
      List<String> served = ViewOracle.differences(expected, api.lookupAll(expected), stack.catalog, DISTINCT_TOLERANCE);
      assertTrue(served.isEmpty(), "batch lookups vs oracle: " + served);
      // A key no event can have is a clear 400, never a scan or a 500.
      var tooLong = api.get("/v1/views/campaign_traffic/day?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z"
          + "&campaign=" + "c".repeat(2_000) + "&channel=email");
      assertEquals(400, tooLong.statusCode(), tooLong.body());
      var farAway = api.get("/v1/views/campaign_traffic/day?from=-9223372036854775808&to=1&campaign=a&channel=b");
      assertEquals(400, farAway.statusCode(), farAway.body());
    }
  }

  private java.util.Properties producerProps() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("bootstrap.servers", stack.kafka.bootstrap());
    p.setProperty("acks", "all");
    p.setProperty("max.request.size", Integer.toString(2 * 1024 * 1024));
    return p;
  }

  private Map<String, Long> deadLettersByReason() {
    Map<String, Long> byReason = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c = stack.consumer()) {
      List<TopicPartition> tps = List.of(new TopicPartition(KafkaTopics.REJECTED, 0));
      c.assign(tps);
      c.seekToBeginning(tps);
      long want = c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
      long seen = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen < want && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          Header reason = r.headers().lastHeader("reason");
          assertTrue(reason != null && r.headers().lastHeader("source") != null, "reason and source headers");
          byReason.merge(new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
          seen++;
        }
      }
    }
    return byReason;
  }

  private Map<String, Long> quarantineByReason(Configuration conf) throws Exception {
    Path views = Path.of(java.net.URI.create(conf.get("lambda.root"))).resolve("views");
    Map<String, Long> byReason = new TreeMap<>();
    try (Stream<Path> versions = Files.list(views)) {
      Path version = versions.filter(p -> p.getFileName().toString().startsWith("v")).sorted()
          .reduce((a, b) -> b).orElseThrow();
      try (Stream<Path> files = Files.list(version.resolve("quarantine"))) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            JsonNode q = JSON.readTree(line);
            assertTrue(q.has("message") && q.has("raw"), line);
            byReason.merge(q.get("reason").asText(), 1L, Long::sum);
          }
        }
      }
    }
    return byReason;
  }
}
