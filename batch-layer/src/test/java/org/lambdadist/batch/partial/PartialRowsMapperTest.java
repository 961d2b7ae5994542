package org.lambdadist.batch.partial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.batch.aggregate.AggregateCounters;

/** MRUnit tests of the partial rows job's mapper and combiner. */
class PartialRowsMapperTest {
  static final String VIEWS = """
      {"views":[{"name":"clicks","filter":{"field":"type","equals":"click"},"dimensions":["page"],
        "granularities":["minute","day"],
        "metrics":[{"name":"n","type":"count"},{"name":"ms","type":"sum","field":"ms"},
                   {"name":"users","type":"distinct","field":"user"}]}]}
      """;

  /** The mapper with its quarantine and counts captured, since MRUnit cannot run MultipleOutputs. */
  static final class CapturingMapper extends PartialRowsMapper {
    final List<String> quarantined = new ArrayList<>();
    final EpochCounts counts = new EpochCounts();

    @Override
    protected void quarantine(Context context, long epoch, Text jsonLine) {
      quarantined.add(jsonLine.toString());
    }

    @Override
    protected void writeCounts(Context context, EpochCounts tallies) {
      tallies.byEpoch().forEach((e, m) -> m.forEach((k, v) -> counts.add(e, k, v)));
    }

    long count(AggregateCounters c) {
      return counts.byEpoch().getOrDefault(1L, Map.of()).getOrDefault(EpochCounts.key(c), 0L);
    }
  }

  private static Map<ViewKey, RowAggregate> decode(List<Pair<BytesWritable, BytesWritable>> out) {
    Map<ViewKey, RowAggregate> rows = new HashMap<>();
    for (Pair<BytesWritable, BytesWritable> p : out) {
      byte[] key = p.getFirst().copyBytes();
      assertEquals(1L, EpochRowKey.epoch(key), "every key carries its epoch");
      ViewKey k = ViewKeyCodec.decode(EpochRowKey.viewKey(key, key.length));
      RowAggregate v = RowAggregateCodec.decode(p.getSecond().copyBytes());
      RowAggregate previous = rows.put(k, v);
      if (previous != null) {
        v.merge(previous);
      }
    }
    return rows;
  }

  private static org.lambdadist.core.rules.EventRules rules(Configuration conf) throws java.io.IOException {
    return LambdaConfiguration.eventRulesOfJob(conf);
  }

  @Test
  void mapperAggregatesQuarantinesAndSkipsLaterCopies(@TempDir Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaConfiguration.VIEWS_JSON, VIEWS);
    org.apache.hadoop.fs.Path set = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "partials/f1");
    MasterRecords.indexSkipping(conf, set, 1, 0, 3, 1, 0);
    conf.set(SkipPositions.PARTIALS_DIR, set.toString());

    CapturingMapper mapper = new CapturingMapper();
    MapDriver<NullWritable, BytesWritable, BytesWritable, BytesWritable> driver =
        MapDriver.newMapDriver(mapper).withConfiguration(conf);
    String t = "\"timestamp\":\"2026-11-02T10:00:30Z\"";
    driver.withInput(NullWritable.get(), MasterRecords.projected(rules(conf), 
            MasterRecords.record(1, 0, 0, "{" + t + ",\"event_id\":\"e1\",\"type\":\"click\",\"page\":\"/\",\"ms\":5,\"user\":\"u1\"}"),
            MasterRecords.record(1, 0, 1, "{" + t + ",\"type\":\"click\",\"page\":\"/\",\"ms\":\"slow\",\"user\":\"u2\"}"),
            MasterRecords.record(1, 0, 2, "{\"timestamp\":\"soon\",\"type\":\"click\"}")))
        .withInput(NullWritable.get(), MasterRecords.projected(rules(conf), 
            MasterRecords.record(1, 0, 3, "{" + t + ",\"event_id\":\"e1\",\"type\":\"click\",\"page\":\"/\",\"ms\":5,\"user\":\"u1\"}"),
            MasterRecords.record(1, 0, 4, "{" + t + ",\"type\":\"view\",\"page\":\"/\"}")));
    Map<ViewKey, RowAggregate> rows = decode(driver.run());

    assertEquals(2, rows.size(), rows.toString()); // one minute row, one day row
    for (Map.Entry<ViewKey, RowAggregate> e : rows.entrySet()) {
      assertEquals(List.of("/"), e.getKey().dimensions());
      assertEquals(2L, e.getValue().state(0).result(), "two clicks: the copy at offset 3 is skipped");
      assertEquals(5L, e.getValue().state(1).result(), "the bad ms value is left out, the event still counts");
      assertEquals(2L, e.getValue().state(2).result());
    }
    assertEquals(5, mapper.count(AggregateCounters.RECORDS_READ));
    assertEquals(1, mapper.count(AggregateCounters.EVENTS_REJECTED));
    assertEquals(1, mapper.counts.byEpoch().get(1L).get("rejected_BAD_TIMESTAMP"));
    assertEquals(1, mapper.count(AggregateCounters.DUPLICATES_SKIPPED));
    assertEquals(3, mapper.count(AggregateCounters.EVENTS_AGGREGATED));
    assertEquals(1, mapper.count(AggregateCounters.BAD_METRIC_VALUES));

    assertEquals(1, mapper.quarantined.size());
    JsonNode q = new ObjectMapper().readTree(mapper.quarantined.get(0));
    assertEquals("BAD_TIMESTAMP", q.get("reason").asText());
    assertEquals(1, q.get("epoch").asLong());
    assertEquals("{\"timestamp\":\"soon\",\"type\":\"click\"}", q.get("raw").asText());
    assertTrue(q.get("message").asText().contains("soon"));
  }

  @Test
  void mapperFlushesWhenTheTableIsFull(@TempDir Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaConfiguration.VIEWS_JSON, VIEWS);
    conf.setInt("lambda.aggregate.flush-rows", 2);
    org.apache.hadoop.fs.Path set = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "partials/f1");
    MasterRecords.indexSkipping(conf, set, 1);
    conf.set(SkipPositions.PARTIALS_DIR, set.toString());
    MapDriver<NullWritable, BytesWritable, BytesWritable, BytesWritable> driver =
        MapDriver.newMapDriver((PartialRowsMapper) new CapturingMapper()).withConfiguration(conf);
    for (int i = 0; i < 3; i++) {
      driver.withInput(NullWritable.get(), MasterRecords.projected(rules(conf), MasterRecords.record(1, 0, i,
          "{\"timestamp\":\"2026-11-02T10:0" + i + ":00Z\",\"type\":\"click\",\"page\":\"/\",\"ms\":1}")));
    }
    List<Pair<BytesWritable, BytesWritable>> out = driver.run();
    assertEquals(6, out.size(), "three flushes of a minute row and the day row");
    Map<ViewKey, RowAggregate> rows = decode(out);
    assertEquals(4, rows.size());
    long dayCount = rows.entrySet().stream().filter(e -> e.getKey().granularity().label().equals("day"))
        .mapToLong(e -> e.getValue().state(0).result().longValue()).sum();
    assertEquals(3, dayCount);
  }
}
