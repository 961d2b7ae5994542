package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.batch.archive.ArchiveTool;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.kafka.KafkaTopics;
import org.lambdadist.speed.SpeedLayerMain;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.layout.EpochManifest;
import org.lambdadist.storage.layout.MasterDataset;

/**
 * Operators and producers that are not polite, on a real HBase and Kafka (one of each for the
 * class, each test in its own namespace and root): two writers at once, a lease taken over
 * from a paused holder, a version that skips epochs, the same file imported twice, transactions
 * committed and aborted, views changed under a running stream, and a backlog caught up by a speed
 * layer process with its default heap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private SpeedStack stack;
  private int namespaces;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    stack = new SpeedStack(dir);
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /** Settings of a test of its own: its root, its HBase namespace (tables created) and its topic. */
  private Configuration isolated(String name) throws Exception {
    Configuration conf = new Configuration(stack.conf);
    conf.set("lambda.root", stack.dir.resolve("root-" + name).toUri().toString());
    conf.set("lambda.hbase.namespace", "faults_" + name);
    conf.set("lambda.kafka.topic", "events_" + name);
    conf.set("lambda.speed.checkpoint", stack.dir.resolve("checkpoint-" + name).toString());
    KafkaTopics.ensure(stack.kafka.bootstrap(), "events_" + name, 2);
    try (Admin admin = stack.connection.getAdmin()) {
      new HBaseSchema(conf).createTables(admin);
    }
    namespaces++;
    return conf;
  }

  private static List<String> events(int n, long seed) {
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(n, seed)).forEachRemaining(lines::add);
    return lines;
  }

  private Path file(String name, List<String> lines) throws Exception {
    Path p = stack.dir.resolve(name);
    Files.write(p, lines, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  @Order(1)
  void twoLoadsAtOnceEndConsistentAndLookupsNever503() throws Exception {
    Configuration conf = isolated("loads");
    BatchHarness batch = new BatchHarness(conf);
    assertEquals(0, batch.importFiles(file("loads.jsonl", events(3_000, 1)).toString()).exitCode());
    BatchHarness.Run a1 = batch.aggregate();
    BatchHarness.Run a2 = batch.aggregate();
    assertEquals(0, a1.exitCode(), a1.err());
    assertEquals(0, a2.exitCode(), a2.err());
    List<String> versions = new org.lambdadist.storage.layout.BatchViews(conf,
        org.lambdadist.storage.settings.LambdaSettings.root(conf)).committedVersions();
    ExecutorService two = Executors.newFixedThreadPool(2);
    Future<BatchHarness.Run> l1 = two.submit(() -> new BatchHarness(conf).load("--version", versions.get(0)));
    Future<BatchHarness.Run> l2 = two.submit(() -> new BatchHarness(conf).load("--version", versions.get(1)));
    List<BatchHarness.Run> runs = List.of(l1.get(5, TimeUnit.MINUTES), l2.get(5, TimeUnit.MINUTES));
    two.shutdown();
    assertTrue(runs.stream().anyMatch(r -> r.exitCode() == 0), runs.toString());
    for (BatchHarness.Run r : runs) {
      assertTrue(r.exitCode() == 0 || r.err().contains("batch lease is held"), "refused plainly: " + r.err());
    }
    HBaseSchema schema = new HBaseSchema(conf);
    String served = new MetaStore(stack.connection, schema).read().version();
    try (Admin admin = stack.connection.getAdmin()) {
      assertTrue(admin.tableExists(schema.versionTable(served)), "the served version's table exists");
    }
    // A load that waits for the lease instead of giving up: both versions served in turn.
    conf.set("lambda.lease.wait", "2m");
    String other = served.equals(versions.get(0)) ? versions.get(1) : versions.get(0);
    BatchHarness.Run again = new BatchHarness(conf).load("--version", other);
    assertTrue(again.exitCode() == 0 || again.err().contains("previous version"), again.err());
  }

  @Test
  @Order(2)
  void aLeaseTakenOverRefusesTheOldHoldersCommits() throws Exception {
    Configuration conf = isolated("lease");
    HBaseSchema schema = new HBaseSchema(conf);
    Clock clock = Clock.systemUTC();
    WriterLease paused = WriterLease.acquire(stack.connection, schema, WriterLease.BATCH, "paused-writer", 1_000, 0, clock);
    assertThrows(WriterLease.HeldException.class,
        () -> WriterLease.acquire(stack.connection, schema, WriterLease.BATCH, "eager-writer", 1_000, 0, clock));
    TimeUnit.MILLISECONDS.sleep(1_300); // the paused writer's lease expires: nothing renewed it
    WriterLease successor = WriterLease.acquire(stack.connection, schema, WriterLease.BATCH, "successor", 60_000, 0, clock);
    assertTrue(successor.token() > paused.token(), "a takeover raises the fencing token");
    WriterLease.LostException lost = assertThrows(WriterLease.LostException.class, () -> paused.check("flip"));
    assertTrue(lost.getMessage().contains("taken over"), lost.getMessage());
    // A tool that joins the paused writer's lease (an Oozie step after its lock expired) commits nothing.
    BatchHarness batch = new BatchHarness(conf);
    assertEquals(0, batch.importFiles(file("lease.jsonl", events(500, 2)).toString()).exitCode());
    assertEquals(0, batch.aggregate().exitCode());
    conf.set(HBaseTool.LEASE_HOLDER, "paused-writer");
    BatchHarness.Run refused = new BatchHarness(conf).load();
    assertEquals(1, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("not held by paused-writer"), refused.err());
    assertEquals(null, new MetaStore(stack.connection, schema).read(), "nothing was served");
    successor.close();
    assertEquals(null, WriterLease.read(stack.connection, schema, WriterLease.BATCH).holder(), "released");
  }

  @Test
  @Order(3)
  void aVersionThatSkipsCommittedEpochsIsRefusedUnlessForced() throws Exception {
    Configuration conf = isolated("coverage");
    BatchHarness batch = new BatchHarness(conf);
    assertEquals(0, batch.importFiles(file("c1.jsonl", events(800, 3)).toString()).exitCode());
    assertEquals(0, batch.importFiles(file("c2.jsonl", events(800, 4)).toString()).exitCode());
    assertEquals(0, batch.aggregate("--epochs", "2").exitCode());
    BatchHarness.Run refused = batch.load();
    assertEquals(1, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("not the committed epoch(s) [1]"), refused.err());
    assertEquals(null, new MetaStore(stack.connection, new HBaseSchema(conf)).read());
    BatchHarness.Run forced = batch.load("--force");
    assertEquals(0, forced.exitCode(), forced.err());
    assertTrue(forced.err().contains("warning"), forced.err());
  }

  @Test
  @Order(4)
  void theSameContentImportedTwiceIsRefused() throws Exception {
    Configuration conf = isolated("twice");
    BatchHarness batch = new BatchHarness(conf);
    Path once = file("twice.jsonl", events(600, 5));
    assertEquals(0, batch.importFiles(once.toString()).exitCode());
    BatchHarness.Run again = batch.importFiles(once.toString());
    assertEquals(1, again.exitCode(), again.err());
    assertTrue(again.err().contains("same content") && again.err().contains("--allow-duplicate"), again.err());
    Path gz = stack.dir.resolve("twice.jsonl.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(once));
    }
    assertEquals(1, batch.importFiles(gz.toString()).exitCode(), "compressed, the content is the same");
    MasterDataset master = new MasterDataset(conf, org.lambdadist.storage.settings.LambdaSettings.root(conf));
    assertEquals(List.of(1L), master.committedEpochs(), "no second epoch");
    assertEquals(0, batch.importFiles("--allow-duplicate", once.toString()).exitCode());
    assertEquals(List.of(1L, 2L), master.committedEpochs());
  }

  @Test
  @Order(5)
  void onlyCommittedTransactionsCountInBothLayers() throws Exception {
    Configuration conf = isolated("tx");
    conf.set("lambda.epoch.interval", "1s");
    String topic = conf.get("lambda.kafka.topic");
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", stack.kafka.bootstrap());
    p.setProperty("transactional.id", "faults-it-producer");
    String committed = "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\",\"campaign\":\"tx-committed\","
        + "\"channel\":\"email\",\"user_id\":\"u1\"}";
    String aborted = committed.replace("tx-committed", "tx-aborted");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 40; i++) {
        producer.send(new ProducerRecord<>(topic, committed.getBytes(StandardCharsets.UTF_8)));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      for (int i = 0; i < 25; i++) {
        producer.send(new ProducerRecord<>(topic, aborted.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      for (int i = 0; i < 2; i++) {
        producer.send(new ProducerRecord<>(topic, committed.getBytes(StandardCharsets.UTF_8)));
      }
      producer.commitTransaction();
    }
    JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC());
    try {
      awaitCaughtUp(conf, topic);
      EpochStore.SpeedProgress progress = new EpochStore(stack.connection, new HBaseSchema(conf)).readProgress();
      assertEquals(42, progress.accepted(), "committed records only");
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
    TimeUnit.MILLISECONDS.sleep(1_200);
    BatchHarness batch = new BatchHarness(conf);
    // Two archivers at once: one archives, the other is refused plainly (or finds nothing left).
    ExecutorService two = Executors.newFixedThreadPool(2);
    Future<BatchHarness.Run> r1 = two.submit(() -> new BatchHarness(conf).run(new ArchiveTool()));
    Future<BatchHarness.Run> r2 = two.submit(() -> new BatchHarness(conf).run(new ArchiveTool()));
    List<BatchHarness.Run> archives = List.of(r1.get(3, TimeUnit.MINUTES), r2.get(3, TimeUnit.MINUTES));
    two.shutdown();
    assertTrue(archives.stream().anyMatch(r -> r.exitCode() == 0), archives.toString());
    for (BatchHarness.Run r : archives) {
      assertTrue(r.exitCode() == 0 || r.err().contains("batch lease is held"), r.err());
    }
    MasterDataset master = new MasterDataset(conf, org.lambdadist.storage.settings.LambdaSettings.root(conf));
    long records = 0;
    for (long e : master.committedEpochs()) {
      EpochManifest m = master.manifest(e);
      records += m.records();
      assertTrue(m.offsetRanges().stream().anyMatch(r -> r.until() > r.from()));
    }
    assertEquals(42, records, "the archive holds the committed records, its ranges span the markers");
    filesMatchManifests(conf, master);
    assertEquals(0, batch.aggregate().exitCode());
    var rows = BatchExports.all(batch, stack.catalog, stack.dir);
    assertTrue(rows.keySet().stream().noneMatch(k -> k.contains("tx-aborted")), "aborted records never count");
    assertEquals(42L, rows.values().stream().filter(r -> r.view().equals("campaign_traffic") && r.granularity().equals("day")
        && r.key().contains("tx-committed")).mapToLong(r -> (Long) r.metrics().get("events")).sum());
  }

  private void awaitCaughtUp(Configuration conf, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    EpochStore epochs = new EpochStore(stack.connection, new HBaseSchema(conf));
    while (true) {
      org.lambdadist.core.epoch.PartitionOffsets end;
      try (var c = stack.consumer()) {
        List<org.apache.kafka.common.TopicPartition> tps = new ArrayList<>();
        c.partitionsFor(topic).forEach(i -> tps.add(new org.apache.kafka.common.TopicPartition(topic, i.partition())));
        java.util.Map<Integer, Long> m = new java.util.HashMap<>();
        c.endOffsets(tps).forEach((tp, o) -> m.put(tp.partition(), o));
        end = org.lambdadist.core.epoch.PartitionOffsets.of(m);
      }
      var committed = epochs.readProgress().ledger().committed();
      if (committed != null && committed.until().atOrAfter(end)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "not caught up with " + end + ": " + committed);
      TimeUnit.MILLISECONDS.sleep(300);
    }
  }

  @Test
  @Order(6)
  void changedViewsUnderACheckpointAreRefusedOrReset() throws Exception {
    Configuration conf = isolated("views");
    String topic = conf.get("lambda.kafka.topic");
    produce(topic, events(1_000, 6));
    JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC());
    try {
      awaitCaughtUp(conf, topic);
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
    Path changed = stack.dir.resolve("views-changed.json");
    Files.writeString(changed, "{\"views\":[{\"name\":\"events_by_type\",\"dimensions\":[\"type\"],"
        + "\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"events\",\"type\":\"count\"}]}]}");
    conf.set("lambda.views.file", changed.toString());
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC()));
    assertTrue(refused.getMessage().contains("views changed") && refused.getMessage().contains("on-views-change=reset"),
        refused.getMessage());
    conf.set("lambda.speed.on-views-change", "reset");
    produce(topic, events(500, 7));
    speed = SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC());
    try {
      awaitCaughtUp(conf, topic);
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
    HBaseSchema schema = new HBaseSchema(conf);
    try (var t = stack.connection.getTable(schema.realtime()); var s = t.getScanner(new org.apache.hadoop.hbase.client.Scan())) {
      for (var r : s) {
        String view = org.lambdadist.core.codec.RowKeyCodec.decode(r.getRow()).view();
        assertEquals("events_by_type", view, "only cells of the new views after the reset");
        assertEquals(1, org.lambdadist.core.codec.RowAggregateCodec.decode(r.value()).size(), "the new view's one metric");
      }
    }
    assertEquals(stack.catalog.fingerprint().equals(new EpochStore(stack.connection, schema).viewsFingerprint()), false);
  }

  private void produce(String topic, List<String> lines) throws Exception {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", stack.kafka.bootstrap());
    p.setProperty("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String l : lines) {
        producer.send(new ProducerRecord<>(topic, l.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  @Order(7)
  void aBacklogIsCaughtUpByASpeedLayerProcessWithItsDefaultHeap() throws Exception {
    Configuration conf = isolated("backlog");
    String topic = conf.get("lambda.kafka.topic");
    List<String> backlog = events(200_000, 8);
    produce(topic, backlog);
    Path home = ClickstreamViews.confDir().getParent();
    List<String> cmd = new ArrayList<>(List.of(home.resolve("scripts/start-speed").toString()));
    for (var e : conf) {
      if (e.getKey().startsWith("lambda.") || e.getKey().startsWith("hbase.zookeeper.")
          || e.getKey().equals("zookeeper.znode.parent") || e.getKey().equals("fs.defaultFS")) {
        cmd.add("-D");
        cmd.add(e.getKey() + "=" + e.getValue());
      }
    }
    Path log = stack.dir.resolve("backlog-speed.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("LAMBDA_SPEED_HEAP"); // its default heap
    Process speed = pb.start();
    try {
      awaitCaughtUp(conf, topic);
      assertTrue(speed.isAlive(), "still running after the backlog: " + Files.readString(log));
      EpochStore.SpeedProgress progress = new EpochStore(stack.connection, new HBaseSchema(conf)).readProgress();
      assertTrue(progress.ledger().committed().sequence() >= 2, "taken in capped micro-batches, not all at once");
      assertEquals(backlog.size(), progress.accepted() + progress.rejected() + progress.duplicates(), progress.toString());
    } finally {
      speed.destroy(); // SIGTERM: a graceful stop
      assertTrue(speed.waitFor(90, TimeUnit.SECONDS), "stopped");
    }
  }

  /** Checks the archived files of every epoch against their manifests, as archive does before committing. */
  static void filesMatchManifests(Configuration conf, MasterDataset master) throws Exception {
    for (long e : master.committedEpochs()) {
      for (EpochManifest.FileEntry f : master.manifest(e).files()) {
        long n = 0;
        try (SequenceFile.Reader r = new SequenceFile.Reader(conf,
            SequenceFile.Reader.file(new org.apache.hadoop.fs.Path(master.epochDir(e), f.file())))) {
          ArrivedEventWritable rec = new ArrivedEventWritable();
          while (r.next(NullWritable.get(), rec)) {
            n++;
          }
        }
        assertEquals(f.records(), n, "epoch " + e + " " + f.file());
      }
    }
  }
}
