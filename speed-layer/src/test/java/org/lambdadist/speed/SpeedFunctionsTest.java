package org.lambdadist.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.settings.LambdaSettings;
import scala.Tuple2;

/** The micro-batch's named functions, called directly: no Spark context, no Kafka, no HBase. */
class SpeedFunctionsTest {
  private static final String VIEWS = "{\"views\":[{\"name\":\"by_type\",\"dimensions\":[\"type\"],"
      + "\"granularities\":[\"minute\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"},"
      + "{\"name\":\"v\",\"type\":\"sum\",\"field\":\"v\"}]}]}";
  private static final int PARTITIONS = 2;
  private static SpeedSettings settings;
  /** Epoch 1 holds partition 0's offsets below 2; the open epoch 2 the rest. */
  private static final EpochChain CHAIN = new EpochChain(1, 0,
      List.of(new EpochChain.ClosedEpoch(1, PartitionOffsets.of(Map.of(0, 2L)), 5, "speed")));

  @BeforeAll
  static void settings(@TempDir Path dir) throws Exception {
    Path views = dir.resolve("views.json");
    Files.writeString(views, VIEWS);
    Configuration conf = LambdaSettings.create();
    conf.set("lambda.views.file", views.toString());
    conf.set("lambda.speed.checkpoint", dir.resolve("state").toString());
    conf.set("lambda.speed.dedup.window", "10m");
    settings = new SpeedSettings(conf);
  }

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String json) {
    return new ConsumerRecord<>("events", partition, offset, null, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /** Dead letters as "partition/offset:reason". */
  private static final class ListSink implements DeadLetterSink {
    final List<String> sent = new ArrayList<>();

    @Override
    public void send(int partition, long offset, long timestampMillis, byte[] value, String reason, String message) {
      sent.add(partition + "/" + offset + ":" + reason);
    }

    @Override
    public void flush() {
    }
  }

  private static Map<Integer, List<byte[]>> admit(ListSink sink, RejectCounts rejected,
                                                  List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    AdmitFn.Admission admission = new AdmitFn.Admission(settings.rules(), CHAIN, PARTITIONS, sink, rejected);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      admission.admit(r);
    }
    Map<Integer, List<byte[]>> byPartition = new TreeMap<>();
    for (Tuple2<Integer, byte[]> t : admission.finish()) {
      byPartition.computeIfAbsent(t._1(), p -> new ArrayList<>()).add(t._2());
    }
    return byPartition;
  }

  private static DedupAggregateFn.Counters counters() {
    return DedupAggregateFn.Counters.unregistered();
  }

  /** Runs the dedup-and-aggregate stage of micro-batch {@code sequence} over every state partition; count per epoch. */
  private static Map<Long, Long> decide(long sequence, long time, Map<Integer, List<byte[]>> frames,
                                        DedupAggregateFn.Counters counters, ListSink sink) throws Exception {
    DedupAggregateFn fn = new DedupAggregateFn(settings, PARTITIONS, sequence, time, counters, () -> sink);
    Map<Long, Long> perEpoch = new TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      for (Tuple2<CellKey, byte[]> c : fn.apply(p, frames.getOrDefault(p, List.of()))) {
        assertEquals("by_type", RowKeyCodec.decode(c._1().rowKey).view());
        perEpoch.merge(c._1().epoch, RowAggregateCodec.decode(c._2()).state(0).result().longValue(), Long::sum);
      }
    }
    return perEpoch;
  }

  @Test
  void admissionReadsWithCoresRuleSendsRejectsToTheDeadLettersAndCountsThemPerReason() throws Exception {
    ListSink sink = new ListSink();
    RejectCounts rejected = new RejectCounts();
    Map<Integer, List<byte[]>> frames = admit(sink, rejected, List.of(
        record(0, 0, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"event_id\":\"e1\",\"type\":\"click\"}"),
        record(0, 1, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"" + "x".repeat(2000) + "\"}"),
        record(0, 2, null),
        record(1, 0, "{\"timestamp\":1e3}"),
        record(1, 1, "not json"),
        record(1, 2, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"view\"}")));
    assertEquals(List.of("0/1:VALUE_TOO_LONG", "0/2:NOT_JSON_OBJECT", "1/0:BAD_TIMESTAMP", "1/1:NOT_JSON_OBJECT"),
        sink.sent);
    assertEquals(Map.of("VALUE_TOO_LONG", 1L, "NOT_JSON_OBJECT", 2L, "BAD_TIMESTAMP", 1L), rejected.value());
    int framed = 0;
    for (List<byte[]> chunks : frames.values()) {
      for (byte[] chunk : chunks) {
        AdmittedFrames.Cursor c = new AdmittedFrames.Cursor(chunk);
        while (c.next()) {
          framed++;
          assertEquals(c.partition() == 0 ? 0 : 2, c.offset());
          assertEquals(c.partition() == 0, c.hasId(), "e1 has an id, the view event none");
        }
      }
    }
    assertEquals(2, framed, "the accepted events, parsed once, cross the shuffle");
  }

  @Test
  void theEarliestCopyCountsTheWindowDropsLaterCopiesAndABatchRunAgainOrRestartedDecidesTheSame() throws Exception {
    ListSink sink = new ListSink();
    String e = "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"event_id\":\"e\",\"type\":\"click\",\"v\":2}";
    // Batch 1: three copies of e (the earliest, partition 0 offset 1, is in epoch 1), two events without an id.
    Map<Integer, List<byte[]>> batch1 = admit(sink, new RejectCounts(), List.of(record(1, 5, e), record(0, 1, e),
        record(2, 0, e), record(0, 3, "{\"timestamp\":\"2026-11-01T10:00:30Z\",\"type\":\"click\",\"v\":3}"),
        record(1, 6, "{\"timestamp\":\"2026-11-01T10:00:40Z\",\"type\":\"click\",\"v\":\"n/a\"}")));
    DedupAggregateFn.Counters c1 = counters();
    long t = 1_000_000;
    assertEquals(Map.of(1L, 1L, 2L, 2L), decide(1, t, batch1, c1, sink), "e once, in its earliest copy's epoch");
    assertEquals(3, c1.accepted().value());
    assertEquals(2, c1.duplicates().value());
    assertEquals(1, c1.badValues().value(), "\"n/a\" for the sum");

    DedupAggregateFn.Counters again = counters();
    assertEquals(Map.of(1L, 1L, 2L, 2L), decide(1, t, batch1, again, sink), "run again, batch 1 keeps its copy");
    assertEquals(2, again.duplicates().value());

    Map<Integer, List<byte[]>> batch2 = admit(sink, new RejectCounts(), List.of(record(3, 0, e),
        record(3, 1, "{\"timestamp\":\"2026-11-01T10:01:00Z\",\"event_id\":\"f\",\"type\":\"click\"}")));
    DedupAggregateFn.Counters c2 = counters();
    assertEquals(Map.of(2L, 1L), decide(2, t + 2_000, batch2, c2, sink), "e again: a duplicate; f counts");
    assertEquals(1, c2.duplicates().value());

    SpeedResources.closeAll(); // a restart: the windows are read from their files
    DedupAggregateFn.Counters replay = counters();
    assertEquals(Map.of(2L, 1L), decide(2, t + 2_000, batch2, replay, sink), "batch 2 written again after a restart");
    assertEquals(1, replay.duplicates().value());

    SpeedResources.closeAll();
    Path partial = Path.of(settings.checkpoint, "dedup", "partition-0-of-2", ".batch-2-at-" + (t + 2_000) + ".ids.tmp");
    Files.writeString(partial, "a crash left this half written");
    DedupAggregateFn.Counters later = counters();
    assertEquals(Map.of(2L, 2L), decide(3, t + 12 * 60_000, batch2, later, sink),
        "12 minutes on, the 10-minute window (and its bucket) has passed e and f: they count again");
    assertEquals(0, later.duplicates().value());
    assertEquals(List.of(), sink.sent);
    assertTrue(!Files.exists(partial), "a half-written file is deleted once the window has passed it");
    try (var files = Files.list(Path.of(settings.checkpoint, "dedup", "partition-0-of-2"))) {
      assertTrue(files.allMatch(f -> f.getFileName().toString().startsWith("batch-3-")),
          "only the newest micro-batch's file is left");
    }
  }

  @Test
  void hostileIdsAreIdsLikeAnyOther() throws Exception {
    ListSink sink = new ListSink();
    String t = "\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\"";
    Map<Integer, List<byte[]>> frames = admit(sink, new RejectCounts(), List.of(
        record(0, 0, "{" + t + ",\"event_id\":\"\"}"), record(0, 1, "{" + t + ",\"event_id\":\"\"}"),
        record(0, 2, "{" + t + ",\"event_id\":\"a\\ud800\"}"), record(0, 3, "{" + t + ",\"event_id\":\"a\\udc00\"}")));
    DedupAggregateFn.Counters c = counters();
    Map<Long, Long> counted = decide(30, 20_000_000, frames, c, sink);
    assertEquals(List.of("0/2:BAD_ENCODING", "0/3:BAD_ENCODING"), sink.sent, "core's rule; no failed task");
    assertEquals(1, c.accepted().value(), "the empty id is an id: counted once");
    assertEquals(1, c.duplicates().value());
    assertEquals(Map.of(1L, 1L), counted, "its first copy, partition 0 offset 0, is in epoch 1");
  }

  @Test
  void aRecordThatCannotBeAggregatedIsADeadLetterNotAFailedBatch() throws Exception {
    AdmittedFrames frames = new AdmittedFrames();
    byte[] garbage = {9, 9, 9};
    frames.add(false, 0, 0, 4, 77, garbage, garbage.length);
    ListSink sink = new ListSink();
    DedupAggregateFn.Counters c = counters();
    assertEquals(Map.of(), decide(10, 5_000_000, Map.of(0, List.of(frames.toByteArray())), c, sink));
    assertEquals(List.of("4/77:UNPROCESSABLE"), sink.sent);
    assertEquals(1, c.unprocessable().value());
    assertEquals(0, c.accepted().value());
  }

  @Test
  void cellsOfTwoTasksMergeWithCoresMerge() throws Exception {
    ListSink sink = new ListSink();
    Map<Integer, List<byte[]>> frames = admit(sink, new RejectCounts(),
        List.of(record(0, 9, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\",\"v\":2}")));
    DedupAggregateFn fn = new DedupAggregateFn(settings, PARTITIONS, 20, 9_000_000, counters(), () -> sink);
    byte[] cell = null;
    for (int p = 0; p < PARTITIONS; p++) {
      for (Tuple2<CellKey, byte[]> t : fn.apply(p, frames.getOrDefault(p, List.of()))) {
        cell = t._2();
      }
    }
    byte[] merged = new MergeCellsFn().call(cell, cell);
    assertEquals(2, RowAggregateCodec.decode(merged).state(0).result().longValue());
    assertTrue(new CellKey(new byte[] {1}, 2).equals(new CellKey(new byte[] {1}, 2)));
  }

  @Test
  void rejectsAreCountedPerReasonAcrossTasks() {
    RejectCounts task1 = new RejectCounts();
    RejectCounts task2 = task1.copy();
    assertTrue(task1.isZero());
    task1.add("NOT_JSON_OBJECT");
    task1.add("NOT_JSON_OBJECT");
    task2.add("MISSING_TIMESTAMP");
    RejectCounts driver = new RejectCounts();
    driver.merge(task1);
    driver.merge(task2);
    assertEquals(Map.of("NOT_JSON_OBJECT", 2L, "MISSING_TIMESTAMP", 1L), driver.value());
    assertEquals(Map.of("NOT_JSON_OBJECT", 2L), task1.copy().value(), "a copy holds the same counts");
    driver.reset();
    assertTrue(driver.isZero());
  }
}
