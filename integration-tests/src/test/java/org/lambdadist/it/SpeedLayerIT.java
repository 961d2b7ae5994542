package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.speed.SpeedLayerMain;

/**
 * The speed layer on a real broker, a real HBase and Spark {@code local[2]} (one of each for
 * the class): generated events (duplicates, late and malformed lines included) through Kafka;
 * once the lag is 0 every HTTP lookup equals the in-memory oracle and the batch path over the
 * same events (parity); epochs close, are archived, aggregated and loaded while answers stay
 * exact; the archiver survives a crash and refuses ranges retention removed; the cycle logs each
 * step and job as it goes and records its report in the meta table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpeedLayerIT {
  private SpeedStack stack;
  private final ViewOracle oracle = new ViewOracle(org.lambdadist.core.testing.ClickstreamViews.catalog());
  private final List<String> produced = new ArrayList<>();

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

  private static List<String> generate(int events, long seed) {
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(events, seed)).forEachRemaining(lines::add);
    return lines;
  }

  private JavaStreamingContext startSpeed(Configuration conf) throws Exception {
    return SpeedLayerMain.start(SpeedLayerMain.settings(conf), Clock.systemUTC());
  }

  @Test
  @Order(0)
  void lookupsEqualTheOracleAndTheBatchPathOnceCaughtUp() throws Exception {
    List<String> lines = generate(20_000, 41);
    stack.produce(lines, oracle);
    produced.addAll(lines);
    JavaStreamingContext speed = startSpeed(stack.conf);
    try {
      stack.awaitCaughtUp(Duration.ofMinutes(3));
      Map<String, ViewOracle.Row> expected = oracle.rows();
      Map<String, ViewOracle.Row> actual = stack.lookupAll(expected);
      List<String> diffs = ViewOracle.differences(expected, actual, stack.catalog, 0.05);
      assertTrue(diffs.isEmpty(), "speed layer vs oracle: " + diffs);
      assertTrue(oracle.duplicates() > 100 && oracle.rejected() > 50, "the input has duplicates and rejects");

      EpochStore.SpeedProgress progress = new EpochStore(stack.connection, new HBaseSchema(stack.conf)).readProgress();
      assertEquals(oracle.accepted() - oracle.duplicates(), progress.accepted(), "accepted, duplicates dropped");
      assertEquals(oracle.rejected(), progress.rejected());
      assertEquals(oracle.duplicates(), progress.duplicates());
      assertEquals(oracle.rejected(), stack.countRecords("events.rejected"), "every reject in the dead-letter topic");
      com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(stack.get("/v1/status").body());
      assertEquals(progress.accepted(), status.get("speed").get("accepted").asLong(), status.toString());
      assertEquals(stack.endOffsets().toString(), status.get("speed").get("committed_offsets").asText());
      assertEquals(1, status.get("epochs").get("open").asLong(), "the first Kafka epoch is open");

      // The speed layer's own /metrics: the counts of this run, exact, and the lag and epoch gauges.
      Map<String, Double> metrics = SpeedStack.speedMetrics(SpeedLayerMain.metricsPort());
      for (String family : List.of("lambda_speed_records_in_total", "lambda_speed_records_accepted_total",
          "lambda_speed_records_rejected_total{", "lambda_speed_records_duplicates_total",
          "lambda_speed_batch_processing_seconds_count", "lambda_speed_batch_scheduling_delay_seconds_count",
          "lambda_speed_lag_records{", "lambda_speed_epoch_open_age_seconds", "lambda_speed_kafka_offset_commits_total{",
          "jvm_memory_used_bytes{", "jvm_gc_pause_seconds", "process_uptime_seconds")) {
        assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith(family)), family + " in " + metrics.keySet());
      }
      assertEquals(lines.size(), metrics.get("lambda_speed_records_in_total").longValue(), "every record read once");
      assertEquals(oracle.accepted() - oracle.duplicates(), metrics.get("lambda_speed_records_accepted_total").longValue());
      assertEquals(oracle.duplicates(), metrics.get("lambda_speed_records_duplicates_total").longValue());
      assertTrue(oracle.rejectedByReason().size() >= 2, "the input has rejects of several reasons: " + oracle.rejectedByReason());
      for (org.lambdadist.core.event.RejectReason reason : org.lambdadist.core.event.RejectReason.values()) {
        assertEquals(oracle.rejectedByReason().getOrDefault(reason.name(), 0L),
            metrics.get("lambda_speed_records_rejected_total{reason=\"" + reason.name() + "\"}").longValue(),
            "rejected as " + reason);
      }
      for (int p = 0; p < SpeedStack.PARTITIONS; p++) {
        assertEquals(0.0, metrics.get("lambda_speed_lag_records{partition=\"" + p + "\",topic=\"events\"}"),
            "lag of partition " + p + " once caught up: " + metrics);
      }
      assertTrue(metrics.get("lambda_speed_batch_processing_seconds_count") >= 1, metrics.toString());
      assertTrue(metrics.get("lambda_speed_epoch_open_age_seconds") >= 0, metrics.toString());
      // Its processed offsets reach the consumer group in Kafka (for Kafka's lag tools): those of meta.
      stack.awaitGroupOffsets("lambda-speed", progress.ledger().committed().until(), Duration.ofSeconds(30));

      // Parity: the same events through import → aggregate (another root) give the same rows.
      Configuration batchConf = new Configuration(stack.conf);
      batchConf.set("lambda.root", stack.dir.resolve("parity-root").toUri().toString());
      BatchHarness batch = new BatchHarness(batchConf);
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(stack.dir.resolve("parity.jsonl").toUri());
      batch.write(file, lines.iterator());
      assertEquals(0, batch.importFiles(file.toString()).exitCode());
      BatchHarness.Run agg = batch.aggregate();
      assertEquals(0, agg.exitCode(), agg.err());
      Map<String, ViewOracle.Row> batchRows = BatchExports.all(batch, stack.catalog, stack.dir);
      List<String> parity = ViewOracle.differences(batchRows, actual, stack.catalog, 0.0);
      assertTrue(parity.isEmpty(), "batch vs speed: " + parity);
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
  }

  /** Rows of the oracle for a few series of every view and granularity. */
  private static Map<String, ViewOracle.Row> sample(Map<String, ViewOracle.Row> all, int perView) {
    Map<String, Integer> taken = new java.util.HashMap<>();
    java.util.Set<String> series = new java.util.HashSet<>();
    Map<String, ViewOracle.Row> out = new java.util.TreeMap<>();
    for (Map.Entry<String, ViewOracle.Row> e : all.entrySet()) {
      ViewOracle.Row r = e.getValue();
      String s = r.view() + "|" + r.granularity() + "|" + r.key();
      if (!series.contains(s)) {
        int n = taken.merge(r.view() + "|" + r.granularity(), 1, Integer::sum);
        if (n > perView) {
          continue;
        }
        series.add(s);
      }
      out.put(e.getKey(), r);
    }
    return out;
  }

  private void assertExact(String when) throws Exception {
    Map<String, ViewOracle.Row> expected = oracle.rows();
    List<String> diffs = ViewOracle.differences(expected, stack.lookupAll(expected), stack.catalog, 0.05);
    assertTrue(diffs.isEmpty(), when + ": " + diffs);
  }

  private org.lambdadist.storage.hbase.CycleStore cycleStore() {
    return new org.lambdadist.storage.hbase.CycleStore(stack.connection, new HBaseSchema(stack.conf));
  }

  /** Each step's start and end, and every job's id, local runner note and progress, as they came. */
  private static void assertCycleLoggedItsJobs(String log) {
    for (String step : List.of("archive", "aggregate", "attribute", "load")) {
      assertTrue(log.contains("cycle: step " + step + " started"), step + ": " + log);
    }
    java.util.regex.Matcher submitted = java.util.regex.Pattern
        .compile("(?m)^  job (job_local\\d+_\\d+) \\(lambda [^)]*\\): running in the local job runner").matcher(log);
    int jobs = 0;
    while (submitted.find()) {
      String id = submitted.group(1);
      assertTrue(java.util.regex.Pattern.compile("(?m)^  job " + id + ": map \\d+%( reduce \\d+%)?$").matcher(log).find(),
          "progress of " + id + ": " + log);
      assertTrue(log.contains("  job " + id + " succeeded in "), id + ": " + log);
      jobs++;
    }
    // archive's (one per epoch), attribute's two, load's HFiles; archive computes each new
    // epoch's partial rows in process (lambda.import.partial-rows), so aggregate only merges them.
    assertTrue(jobs >= 4, jobs + " jobs: " + log);
    int archived = log.indexOf("cycle: step archive started");
    int rows = log.indexOf("  partial rows of epoch ");
    int aggregate = log.indexOf("cycle: step aggregate started");
    assertTrue(archived < rows && rows < aggregate, "archive computed the epochs' partial rows: " + log);
    assertTrue(log.indexOf("  aggregate: partials computed for 0 epoch(s) none, reused for ", aggregate) > aggregate, log);
  }

  /** {@code lambda status --json} in this JVM: its stdout, which must be one JSON object. */
  private com.fasterxml.jackson.databind.JsonNode statusJson(Configuration conf) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int code;
    System.setOut(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      code = new BatchHarness(conf).run(new org.lambdadist.batch.cycle.StatusTool(), "--json").exitCode();
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, code);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
  }

  private EpochStore epochs() {
    return new EpochStore(stack.connection, new HBaseSchema(stack.conf));
  }

  @Test
  @Order(1)
  void answersStayExactWhileEpochsCloseAndTheBatchTakesThemOver() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    conf.set("lambda.epoch.interval", "3s");
    JavaStreamingContext speed = startSpeed(conf);
    try {
      for (int round = 0; round < 3; round++) {
        stack.produce(generate(3_000, 50 + round), oracle);
        Thread.sleep(3_500);
      }
      stack.awaitCaughtUp(Duration.ofMinutes(2));
      assertTrue(epochs().readChain().lastClosed() >= 2, "epochs closed: " + epochs().readChain());
      assertExact("before the batch covers any epoch");

      // archive → aggregate → load while lookups run: every answer exact, before, during, after the flip.
      Map<String, ViewOracle.Row> watched = sample(oracle.rows(), 6);
      java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.ConcurrentLinkedQueue<String> wrong = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
      Thread checker = new Thread(() -> {
        while (running.get()) {
          try {
            wrong.addAll(ViewOracle.differences(watched, stack.lookupAll(watched), stack.catalog, 0.05));
            checks.incrementAndGet();
          } catch (Exception e) {
            wrong.add(e.toString());
          }
        }
      });
      checker.start();
      BatchHarness batch = new BatchHarness(conf);
      // One batch cycle: archive → aggregate → attribute → load, under the lock.
      BatchHarness.Run cycle = batch.run(new org.lambdadist.batch.cycle.CycleTool());
      assertEquals(0, cycle.exitCode(), cycle.err());
      long covered = epochs().readChain().lastClosed();
      assertTrue(cycle.err().contains("archived epoch(s)") && cycle.err().contains("step load done"), cycle.err());
      assertTrue(cycle.err().contains("  aggregate: partials computed for "), "the cycle logs what aggregate computed and reused: " + cycle.err());
      assertCycleLoggedItsJobs(cycle.err());
      org.lambdadist.storage.hbase.CycleReport report = cycleStore().lastCycle().orElseThrow();
      String served = new org.lambdadist.storage.hbase.MetaStore(stack.connection, new HBaseSchema(conf)).read().version();
      assertEquals(org.lambdadist.storage.hbase.CycleReport.Result.OK, report.result(), report.toString());
      assertEquals(served, report.version(), "the report names the version the cycle loaded");
      assertEquals(List.of("archive", "aggregate", "attribute", "load", "reconcile"),
          report.steps().stream().map(org.lambdadist.storage.hbase.CycleReport.StepTime::name).toList());
      assertTrue(report.finishedAt() != null && !report.finishedAt().isBefore(report.startedAt()), report.toString());
      // archive computed the new epochs' partial rows, so aggregate reused every epoch's.
      assertTrue(report.epochsComputed() == 0 && report.epochsReused() >= 1, report.toString());
      assertEquals(null, report.failedStep());
      com.fasterxml.jackson.databind.JsonNode lastCycle = statusJson(conf).get("last_cycle");
      assertEquals("ok", lastCycle.get("result").asText(), lastCycle.toString());
      assertEquals(served, lastCycle.get("version").asText());
      assertEquals(report.stepMillis("load").orElseThrow().longValue(), lastCycle.get("step_millis").get("load").asLong());
      // The cycle reconciled the speed layer's cells of the epochs the batch took over with its
      // partials: on these well-formed events (duplicates and rejects included) they agree.
      assertTrue(cycle.err().contains("step reconcile done") && !cycle.err().contains("WARN"), cycle.err());
      org.lambdadist.core.reconcile.ReconciliationReport reconciled =
          new org.lambdadist.storage.hbase.ReconciliationStore(stack.connection, new HBaseSchema(conf)).latest().orElseThrow();
      assertEquals(null, reconciled.error(), reconciled.toJson());
      assertTrue(reconciled.rowsCompared() > 0 && !reconciled.epochs().isEmpty(), reconciled.toJson());
      assertEquals(0, reconciled.rowsDiffering(), reconciled.toJson());
      assertEquals(stack.catalog.names().size(), reconciled.views().size(), "every view compared: " + reconciled.toJson());
      // lambda reconcile on its own: the served version over every epoch it covers, the same answer.
      BatchHarness.Run again = batch.run(new org.lambdadist.batch.reconcile.ReconcileTool());
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.err().contains(String.format(java.util.Locale.ROOT, "%,d rows compared, 0 differ",
          reconciled.rowsCompared())), again.err());
      Thread.sleep(500);
      running.set(false);
      checker.join();
      assertTrue(wrong.isEmpty(), "answers during the flip: " + wrong.stream().limit(10).toList());
      assertTrue(checks.get() >= 3, "lookups ran during the flip: " + checks.get());

      com.fasterxml.jackson.databind.JsonNode coverage = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(stack.get("/v1/views/events_by_type/day?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&type=click")
              .body()).get("coverage");
      assertTrue(coverage.get("batch_epochs").get("last").asLong() >= covered - 1, coverage.toString());
      assertExact("after the flip");

      // Late events for buckets the batch already covers, while epochs keep closing.
      stack.produce(generate(3_000, 60), oracle);
      Thread.sleep(3_500);
      stack.produce(generate(1_000, 61), oracle);
      stack.awaitCaughtUp(Duration.ofMinutes(2));
      assertExact("late events after the flip");
    } finally {
      SpeedLayerMain.stop(speed, true);
    }
  }

  @Test
  @Order(2)
  void anInterruptedArchiveIsRedoneAndARerunChangesNothing() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    org.lambdadist.core.epoch.EpochChain chain = epochs().readChain();
    org.lambdadist.storage.layout.MasterDataset master = new org.lambdadist.storage.layout.MasterDataset(conf,
        new org.apache.hadoop.fs.Path(conf.get("lambda.root")));
    long next = master.allEpochs().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    assertTrue(chain.isClosed(next), "a closed epoch waits for the archiver: " + next + " of " + chain);
    // What a crash of the archive job leaves: a half-written temporary directory.
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(master.tmpDir(), "epoch=" + next + ".archive");
    master.fileSystem().mkdirs(tmp);
    try (java.io.OutputStream out = master.fileSystem().create(new org.apache.hadoop.fs.Path(tmp, "part-m-00000"))) {
      out.write("half a file".getBytes(StandardCharsets.UTF_8));
    }
    BatchHarness batch = new BatchHarness(conf);
    BatchHarness.Run run = batch.run(new org.lambdadist.batch.archive.ArchiveTool());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(master.committedEpochs().contains(next), master.committedEpochs().toString());
    assertTrue(!master.fileSystem().exists(tmp), "the temporary directory became the epoch");

    // The epoch holds exactly its offset ranges: every offset once, nothing else.
    java.util.Map<Integer, java.util.BitSet> seen = new java.util.HashMap<>();
    long records = 0;
    for (org.apache.hadoop.fs.Path f : master.dataFiles(next)) {
      try (org.apache.hadoop.io.SequenceFile.Reader reader = new org.apache.hadoop.io.SequenceFile.Reader(conf,
          org.apache.hadoop.io.SequenceFile.Reader.file(f))) {
        org.lambdadist.batch.master.ArrivedEventWritable value = new org.lambdadist.batch.master.ArrivedEventWritable();
        while (reader.next(org.apache.hadoop.io.NullWritable.get(), value)) {
          assertEquals(next, value.epoch());
          java.util.BitSet bits = seen.computeIfAbsent(value.partition(), p -> new java.util.BitSet());
          assertTrue(!bits.get((int) value.offset()), "offset archived twice");
          bits.set((int) value.offset());
          records++;
        }
      }
    }
    long expected = 0;
    for (Map.Entry<Integer, Long> e : chain.endOf(next).asMap().entrySet()) {
      long from = chain.startOf(next).get(e.getKey());
      expected += e.getValue() - from;
      java.util.BitSet bits = seen.getOrDefault(e.getKey(), new java.util.BitSet());
      assertEquals(e.getValue() - from, bits.cardinality(), "partition " + e.getKey());
      assertEquals(from, bits.isEmpty() ? from : bits.nextSetBit(0));
    }
    assertEquals(expected, records);

    long modified = master.fileSystem().getFileStatus(master.epochDir(next)).getModificationTime();
    BatchHarness.Run again = batch.run(new org.lambdadist.batch.archive.ArchiveTool());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.err().contains("every closed epoch was already archived"), again.err());
    assertEquals(modified, master.fileSystem().getFileStatus(master.epochDir(next)).getModificationTime());
  }

  @Test
  @Order(3)
  void withoutASpeedLayerTheArchiverClosesEpochsAndRefusesRangesRetentionRemoved() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    conf.set("lambda.epoch.interval", "2s");
    stack.produce(generate(500, 70), oracle);
    org.lambdadist.core.epoch.PartitionOffsets end = stack.endOffsets();
    Thread.sleep(2_500); // no speed layer runs: no progress for longer than the epoch interval
    org.lambdadist.core.epoch.EpochChain chain = epochs().readChain();
    long open = chain.openEpoch();
    // The producer's sticky partitioner may leave a partition without new records: retention
    // must remove records the open epoch needs, so take a partition that received some.
    int partition = end.asMap().keySet().stream()
        .filter(p -> end.get(p) > chain.openStart().get(p)).findFirst().orElseThrow();
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", stack.kafka.bootstrap()))) {
      admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition("events", partition),
          org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(end.get(partition)))).all().get();
    }
    BatchHarness.Run run = new BatchHarness(conf).run(new org.lambdadist.batch.archive.ArchiveTool());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("closed epoch " + open), run.err());
    assertTrue(run.err().contains("partition " + partition) && run.err().contains("retention"), run.err());
    assertEquals(end, epochs().readChain().endOf(open), "closed at Kafka's end offsets");
  }

  @Test
  @Order(4)
  void aCycleRefusesToOverlapAndAFailedStepLeavesTheServedVersion() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    HBaseSchema schema = new HBaseSchema(conf);
    org.lambdadist.storage.hbase.BatchPointer before = new org.lambdadist.storage.hbase.MetaStore(stack.connection, schema).read();
    org.lambdadist.storage.hbase.WriterLease.acquire(stack.connection, schema, org.lambdadist.storage.hbase.WriterLease.BATCH,
        "other-scheduler", 3_600_000, 0, java.time.Clock.systemUTC());
    BatchHarness batch = new BatchHarness(conf);
    BatchHarness.Run locked = batch.run(new org.lambdadist.batch.cycle.CycleTool());
    assertEquals(1, locked.exitCode(), locked.err());
    assertTrue(locked.err().contains("the batch lease is held by other-scheduler"), locked.err());
    assertTrue(org.lambdadist.storage.hbase.WriterLease.release(stack.connection, schema,
        org.lambdadist.storage.hbase.WriterLease.BATCH, "other-scheduler"));

    // The epoch whose records retention removed (previous test) makes archive fail: nothing changes.
    BatchHarness.Run failed = batch.run(new org.lambdadist.batch.cycle.CycleTool());
    assertEquals(1, failed.exitCode(), failed.err());
    assertTrue(failed.err().contains("failed at step archive") && failed.err().contains("retention"), failed.err());
    org.lambdadist.storage.hbase.CycleReport report = cycleStore().lastCycle().orElseThrow();
    assertEquals(org.lambdadist.storage.hbase.CycleReport.Result.FAILED, report.result(), report.toString());
    assertEquals("archive", report.failedStep());
    assertTrue(report.message().contains("lambda archive: error:") && report.message().contains("retention"), report.message());
    assertEquals(List.of("archive"), report.steps().stream().map(org.lambdadist.storage.hbase.CycleReport.StepTime::name).toList());
    assertEquals(null, report.version(), "the failed cycle aggregated nothing");
    assertEquals(before, new org.lambdadist.storage.hbase.MetaStore(stack.connection, schema).read());
    assertEquals(null, org.lambdadist.storage.hbase.WriterLease.read(stack.connection, schema,
        org.lambdadist.storage.hbase.WriterLease.BATCH).holder(), "the lease is released after a failed cycle");
  }

  @Test
  @Order(5)
  void theCycleReportRoundTripsThroughTheMetaTable() throws Exception {
    Configuration conf = new Configuration(stack.conf);
    conf.set("lambda.hbase.namespace", "cycle_report");
    HBaseSchema schema = new HBaseSchema(conf);
    try (org.apache.hadoop.hbase.client.Admin admin = stack.connection.getAdmin()) {
      schema.createTables(admin);
    }
    org.lambdadist.storage.hbase.CycleStore store = new org.lambdadist.storage.hbase.CycleStore(stack.connection, schema);
    assertEquals(java.util.Optional.empty(), store.lastCycle(), "no cycle ever ran in this namespace");

    java.time.Instant t0 = java.time.Instant.parse("2026-12-01T10:00:00.123Z");
    org.lambdadist.storage.hbase.CycleReport running = org.lambdadist.storage.hbase.CycleReport.started(t0);
    store.record(running);
    assertEquals(running, store.lastCycle().orElseThrow());
    assertTrue(store.lastCycle().orElseThrow().millis().isEmpty(), "no duration while running");

    org.lambdadist.storage.hbase.CycleReport failed = running.withStep("archive", 1_500).withStep("aggregate", 42_000)
        .withAggregate(2, 7, "v20261201100001").failed(t0.plusSeconds(60), "aggregate", "lambda aggregate: error: ünïcode");
    store.record(failed);
    org.lambdadist.storage.hbase.CycleReport read = store.lastCycle().orElseThrow();
    assertEquals(failed, read);
    assertEquals(60_000, read.millis().getAsLong());
    assertEquals(42_000L, read.stepMillis("aggregate").orElseThrow());
    assertEquals(2, read.epochsComputed());
    assertEquals(7, read.epochsReused());

    // The next cycle replaces the whole row: nothing of the failed one is left.
    org.lambdadist.storage.hbase.CycleReport next = org.lambdadist.storage.hbase.CycleReport.started(t0.plusSeconds(3600));
    store.record(next);
    assertEquals(next, store.lastCycle().orElseThrow());
    org.lambdadist.storage.hbase.CycleReport nothingNew = next.withStep("archive", 900)
        .succeeded(t0.plusSeconds(3601), "x".repeat(5_000));
    store.record(nothingNew);
    read = store.lastCycle().orElseThrow();
    assertEquals(org.lambdadist.storage.hbase.CycleReport.Result.OK, read.result());
    assertEquals(null, read.version());
    assertEquals(null, read.epochsComputed());
    assertTrue(read.message().length() < 2_100 && read.message().startsWith("xxx"), "a long message is cut");
  }
}
