package org.lambdadist.batch.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.master.ArrivalPositionWritable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.batch.dedup.DuplicateIdTest;
import org.lambdadist.batch.dedup.DuplicatesJob;

/** MRUnit tests of job 2: the aggregating mapper, the combiner and the reducer. */
class ViewAggregateTest {
  static final String VIEWS = """
      {"views":[{"name":"clicks","filter":{"field":"type","equals":"click"},"dimensions":["page"],
        "granularities":["minute","day"],
        "metrics":[{"name":"n","type":"count"},{"name":"ms","type":"sum","field":"ms"},
                   {"name":"users","type":"distinct","field":"user"}]}]}
      """;

  /** The mapper with its quarantine captured, since MRUnit cannot run MultipleOutputs. */
  static final class CapturingMapper extends ViewAggregateMapper {
    final List<String> quarantined = new ArrayList<>();

    @Override
    protected void quarantine(Context context, Text jsonLine) {
      quarantined.add(jsonLine.toString());
    }
  }

  private static Map<ViewKey, RowAggregate> decode(List<Pair<BytesWritable, BytesWritable>> out) {
    Map<ViewKey, RowAggregate> rows = new HashMap<>();
    for (Pair<BytesWritable, BytesWritable> p : out) {
      ViewKey k = ViewKeyCodec.decode(p.getFirst().copyBytes());
      RowAggregate v = RowAggregateCodec.decode(p.getSecond().copyBytes());
      RowAggregate previous = rows.put(k, v);
      if (previous != null) {
        v.merge(previous);
      }
    }
    return rows;
  }

  @Test
  void mapperAggregatesQuarantinesAndSkipsLaterCopies(@TempDir Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaConfiguration.VIEWS_JSON, VIEWS);
    Path dups = tmp.resolve("duplicates");
    Files.createDirectories(dups);
    try (SequenceFile.Writer w = SequenceFile.createWriter(conf,
        SequenceFile.Writer.file(new org.apache.hadoop.fs.Path(new File(dups.toFile(), "part-r-00000").toURI())),
        SequenceFile.Writer.keyClass(ArrivalPositionWritable.class), SequenceFile.Writer.valueClass(NullWritable.class))) {
      w.append(new ArrivalPositionWritable(1, 0, 3), NullWritable.get());
      w.append(new ArrivalPositionWritable(2, 0, 3), NullWritable.get()); // another epoch: not this one's
    }
    conf.set(DuplicatesJob.DUPLICATES_DIR, dups.toUri().toString());

    CapturingMapper mapper = new CapturingMapper();
    MapDriver<NullWritable, org.lambdadist.batch.master.ArrivedEventWritable, BytesWritable, BytesWritable> driver =
        MapDriver.newMapDriver(mapper).withConfiguration(conf);
    String t = "\"timestamp\":\"2026-11-02T10:00:30Z\"";
    driver.withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, 0, "{" + t + ",\"event_id\":\"e1\",\"type\":\"click\",\"page\":\"/\",\"ms\":5,\"user\":\"u1\"}"))
        .withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, 1, "{" + t + ",\"type\":\"click\",\"page\":\"/\",\"ms\":\"slow\",\"user\":\"u2\"}"))
        .withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, 2, "{\"timestamp\":\"soon\",\"type\":\"click\"}"))
        .withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, 3, "{" + t + ",\"event_id\":\"e1\",\"type\":\"click\",\"page\":\"/\",\"ms\":5,\"user\":\"u1\"}"))
        .withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, 4, "{" + t + ",\"type\":\"view\",\"page\":\"/\"}"));
    Map<ViewKey, RowAggregate> rows = decode(driver.run());

    assertEquals(2, rows.size(), rows.toString()); // one minute row, one day row
    for (Map.Entry<ViewKey, RowAggregate> e : rows.entrySet()) {
      assertEquals(List.of("/"), e.getKey().dimensions());
      assertEquals(2L, e.getValue().state(0).result(), "two clicks: the copy at offset 3 is skipped");
      assertEquals(5L, e.getValue().state(1).result(), "the bad ms value is left out, the event still counts");
      assertEquals(2L, e.getValue().state(2).result());
    }
    assertEquals(5, driver.getCounters().findCounter(AggregateCounters.RECORDS_READ).getValue());
    assertEquals(1, driver.getCounters().findCounter(AggregateCounters.EVENTS_REJECTED).getValue());
    assertEquals(1, driver.getCounters().findCounter(AggregateCounters.REJECTED_GROUP, "BAD_TIMESTAMP").getValue());
    assertEquals(1, driver.getCounters().findCounter(AggregateCounters.DUPLICATES_SKIPPED).getValue());
    assertEquals(3, driver.getCounters().findCounter(AggregateCounters.EVENTS_AGGREGATED).getValue());
    assertEquals(1, driver.getCounters().findCounter(AggregateCounters.BAD_METRIC_VALUES).getValue());

    assertEquals(1, mapper.quarantined.size());
    JsonNode q = new ObjectMapper().readTree(mapper.quarantined.get(0));
    assertEquals("BAD_TIMESTAMP", q.get("reason").asText());
    assertEquals(1, q.get("epoch").asLong());
    assertEquals("{\"timestamp\":\"soon\",\"type\":\"click\"}", q.get("raw").asText());
    assertTrue(q.get("message").asText().contains("soon"));
  }

  @Test
  void mapperFlushesWhenTheTableIsFull() throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaConfiguration.VIEWS_JSON, VIEWS);
    conf.setInt("lambda.aggregate.flush-rows", 2);
    MapDriver<NullWritable, org.lambdadist.batch.master.ArrivedEventWritable, BytesWritable, BytesWritable> driver =
        MapDriver.newMapDriver((ViewAggregateMapper) new CapturingMapper()).withConfiguration(conf);
    for (int i = 0; i < 3; i++) {
      driver.withInput(NullWritable.get(), DuplicateIdTest.record(1, 0, i,
          "{\"timestamp\":\"2026-11-02T10:0" + i + ":00Z\",\"type\":\"click\",\"page\":\"/\",\"ms\":1}"));
    }
    List<Pair<BytesWritable, BytesWritable>> out = driver.run();
    assertEquals(6, out.size(), "three flushes of a minute row and the day row");
    Map<ViewKey, RowAggregate> rows = decode(out);
    assertEquals(4, rows.size());
    long dayCount = rows.entrySet().stream().filter(e -> e.getKey().granularity().label().equals("day"))
        .mapToLong(e -> e.getValue().state(0).result().longValue()).sum();
    assertEquals(3, dayCount);
  }

  private static BytesWritable partial(String page, long n, long ms, String... users) throws Exception {
    RowAggregate r = RowAggregate.zero(org.lambdadist.core.view.ViewCatalog.parse(VIEWS, "t").view("clicks").metrics());
    for (int i = 0; i < n; i++) {
      r.state(0).add(Boolean.TRUE);
    }
    r.state(1).add(ms);
    for (String u : users) {
      r.state(2).add(u);
    }
    return new BytesWritable(RowAggregateCodec.encode(r));
  }

  @Test
  void reducerAndCombinerMergePartialsWithTheMonoid() throws Exception {
    BytesWritable key = new BytesWritable(ViewKeyCodec.encode(
        new ViewKey("clicks", List.of("/"), org.lambdadist.core.time.Granularity.DAY, 0)));
    BytesWritable single = new BytesWritable(ViewKeyCodec.encode(
        new ViewKey("clicks", List.of("/a"), org.lambdadist.core.time.Granularity.DAY, 0)));
    for (RowMergeReducer r : List.of(new RowMergeReducer(), new RowMergeCombiner())) {
      ReduceDriver<BytesWritable, BytesWritable, BytesWritable, BytesWritable> driver = ReduceDriver.newReduceDriver(r);
      driver.withInput(key, List.of(partial("/", 2, 10, "u1", "u2"), partial("/", 3, 5, "u2", "u3")))
          .withInput(single, List.of(partial("/a", 1, 1, "u9")));
      List<Pair<BytesWritable, BytesWritable>> out = driver.run();
      assertEquals(2, out.size());
      RowAggregate merged = RowAggregateCodec.decode(out.get(0).getSecond().copyBytes());
      assertEquals(5L, merged.state(0).result());
      assertEquals(15L, merged.state(1).result());
      assertEquals(3L, merged.state(2).result());
      assertEquals(partial("/a", 1, 1, "u9"), out.get(1).getSecond(), "a single partial passes through unchanged");
      long rows = driver.getCounters().findCounter(AggregateCounters.VIEW_ROWS).getValue();
      assertEquals(r instanceof RowMergeCombiner ? 0 : 2, rows);
    }
  }
}
