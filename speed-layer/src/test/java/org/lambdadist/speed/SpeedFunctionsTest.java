package org.lambdadist.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.Optional;
import org.apache.spark.streaming.State;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.settings.LambdaSettings;
import scala.Tuple2;

/** The speed graph's named functions, called directly: no Spark context, no Kafka, no HBase. */
class SpeedFunctionsTest {
  private static final String VIEWS = "{\"views\":[{\"name\":\"by_type\",\"dimensions\":[\"type\"],"
      + "\"granularities\":[\"minute\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"},"
      + "{\"name\":\"v\",\"type\":\"sum\",\"field\":\"v\"}]}]}";
  private static SpeedSettings settings;

  @BeforeAll
  static void settings(@TempDir Path dir) throws Exception {
    Path views = dir.resolve("views.json");
    Files.writeString(views, VIEWS);
    Configuration conf = LambdaSettings.create();
    conf.set("lambda.views.file", views.toString());
    settings = new SpeedSettings(conf);
  }

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String json) {
    return new ConsumerRecord<>("events", partition, offset, null, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Arrival> identify(List<ConsumerRecord<byte[], byte[]>> records) {
    List<Arrival> out = new ArrayList<>();
    new IdentifyFn(settings).call(records.iterator()).forEachRemaining(out::add);
    return out;
  }

  @Test
  void identifyReadsWithCoresRuleAndKeepsTheReasonOfEachReject() {
    List<Arrival> a = identify(List.of(
        record(0, 0, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"event_id\":\"e1\",\"type\":\"click\"}"),
        record(0, 1, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"" + "x".repeat(2000) + "\"}"),
        record(0, 2, null),
        record(1, 0, "{\"timestamp\":1e3}")));
    assertEquals("e1", a.get(0).eventId);
    assertTrue(a.get(0).hasEventId());
    assertEquals("VALUE_TOO_LONG", a.get(1).rejectReason);
    assertEquals("NOT_JSON_OBJECT", a.get(2).rejectReason);
    assertEquals("BAD_TIMESTAMP", a.get(3).rejectReason);
    assertFalse(a.get(3).accepted());
  }

  /** Spark's state, in memory. */
  private static final class MemoryState extends State<long[]> {
    private long[] value;
    private boolean timingOut;

    @Override
    public boolean exists() {
      return value != null;
    }

    @Override
    public long[] get() {
      return value;
    }

    @Override
    public void update(long[] v) {
      value = v;
    }

    @Override
    public void remove() {
      value = null;
    }

    @Override
    public boolean isTimingOut() {
      return timingOut;
    }
  }

  @Test
  void theEarliestCopyStandsForItsBatchAndTheFirstBatchKeepsItsCopyForTheWindow() throws Exception {
    List<Arrival> a = identify(List.of(
        record(1, 5, "{\"timestamp\":1,\"event_id\":\"e\"}"),
        record(0, 9, "{\"timestamp\":1,\"event_id\":\"e\"}"),
        record(2, 0, "{\"timestamp\":1,\"event_id\":\"e\"}")));
    Arrival first = new FirstCopies.Earlier().call(new FirstCopies.Earlier().call(a.get(0), a.get(1)), a.get(2));
    assertEquals(0, first.partition);
    assertEquals(9, first.offset);
    assertEquals(2, first.droppedCopies(), "the other two copies are dropped");
    assertEquals(new Tuple2<>("e", a.get(0)), new FirstCopies.ById().call(a.get(0)));

    MemoryState seen = new MemoryState();
    FirstCopies.InWindow window = new FirstCopies.InWindow();
    assertSame(first, window.call("e", Optional.of(first), seen), "the first batch keeps its copy");
    assertSame(first, window.call("e", Optional.of(first), seen), "and keeps it when run again after a restart");
    Arrival later = window.call("e", Optional.of(a.get(2)), seen);
    assertTrue(later.duplicate, "a later batch's copy is a duplicate");
    seen.timingOut = true;
    assertNull(window.call("e", Optional.empty(), seen));
    assertTrue(new FirstCopies.Present().call(first));
    assertFalse(new FirstCopies.HasId().call(identify(List.of(record(0, 0, "{\"timestamp\":1}"))).get(0)));
    assertTrue(new FirstCopies.AcceptedWithoutId().call(identify(List.of(record(0, 0, "{\"timestamp\":1}"))).get(0)));
  }

  @Test
  void cellsArePerViewRowAndEpochAndARecordThatThrowsIsADeadLetter() throws Exception {
    // Epoch 1 holds partition 0's offsets below 2; the open epoch 2 the rest.
    EpochChain chain = new EpochChain(1, 0, List.of(new EpochChain.ClosedEpoch(1, PartitionOffsets.of(Map.of(0, 2L)), 5, "speed")));
    List<Arrival> kept = identify(List.of(
        record(0, 0, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\",\"v\":2}"),
        record(0, 1, "{\"timestamp\":\"2026-11-01T10:00:30Z\",\"type\":\"click\",\"v\":3}"),
        record(0, 2, "{\"timestamp\":\"2026-11-01T10:00:40Z\",\"type\":\"click\",\"v\":\"n/a\"}")));
    AggregateCellsFn.Counters counters = new AggregateCellsFn.Counters(new LongAccumulator(), new LongAccumulator(),
        new LongAccumulator(), new LongAccumulator());
    List<String> dead = new ArrayList<>();
    AggregateCellsFn.DeadLetterSink sink = new AggregateCellsFn.DeadLetterSink() {
      @Override
      public void send(Arrival a, String reason, String message) {
        dead.add(a.offset + ":" + reason);
      }

      @Override
      public void flush() {
      }
    };
    List<Tuple2<CellKey, byte[]>> cells = new ArrayList<>();
    Iterator<Tuple2<CellKey, byte[]>> out = new AggregateCellsFn(settings, chain, counters, sink).call(kept.iterator());
    out.forEachRemaining(cells::add);
    assertEquals(2, cells.size(), "one cell per (row, epoch)");
    for (Tuple2<CellKey, byte[]> c : cells) {
      assertEquals("by_type", RowKeyCodec.decode(c._1().rowKey).view());
      long n = RowAggregateCodec.decode(c._2()).state(0).result().longValue();
      assertEquals(c._1().epoch == 1 ? 2 : 1, n);
    }
    assertEquals(3, counters.accepted().value());
    assertEquals(1, counters.badValues().value(), "\"n/a\" for the sum");
    assertEquals(List.of(), dead);

    // A record the first read accepted but that cannot be aggregated (here: the views changed under it).
    Arrival poisoned = identify(List.of(record(0, 7, "{\"timestamp\":\"2026-11-01T10:00:00Z\",\"type\":\"click\"}"))).get(0);
    java.lang.reflect.Field value = Arrival.class.getDeclaredField("value");
    value.setAccessible(true);
    value.set(poisoned, "{\"type\":\"no timestamp\"}".getBytes(StandardCharsets.UTF_8));
    new AggregateCellsFn(settings, chain, counters, sink).call(List.of(poisoned).iterator()).forEachRemaining(c -> { });
    assertEquals(List.of("7:UNPROCESSABLE"), dead);
    assertEquals(1, counters.unprocessable().value());

    byte[] merged = new MergeCellsFn().call(cells.get(0)._2(), cells.get(0)._2());
    assertEquals(2 * RowAggregateCodec.decode(cells.get(0)._2()).state(0).result().longValue(),
        RowAggregateCodec.decode(merged).state(0).result().longValue());
  }

  @Test
  void rejectsAreCountedPerReasonAcrossTasks() {
    List<Arrival> a = identify(List.of(record(0, 0, "not json"), record(0, 1, "{\"type\":\"click\"}"),
        record(0, 2, "[1]"), record(0, 3, "{\"timestamp\":1}")));
    RejectCounts task1 = new RejectCounts();
    RejectCounts task2 = task1.copy();
    assertTrue(task1.isZero());
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).accepted()) {
        (i % 2 == 0 ? task1 : task2).add(a.get(i).rejectReason);
      }
    }
    RejectCounts driver = new RejectCounts();
    driver.merge(task1);
    driver.merge(task2);
    assertEquals(Map.of("NOT_JSON_OBJECT", 2L, "MISSING_TIMESTAMP", 1L), driver.value());
    assertEquals(Map.of("NOT_JSON_OBJECT", 2L), task1.copy().value(), "a copy holds the same counts");
    driver.reset();
    assertTrue(driver.isZero());
  }
}
