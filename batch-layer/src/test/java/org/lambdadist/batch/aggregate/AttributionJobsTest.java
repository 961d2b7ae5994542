package org.lambdadist.batch.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.attribution.ConversionPathWritable;
import org.lambdadist.batch.attribution.CreditKey;
import org.lambdadist.batch.attribution.CreditMapper;
import org.lambdadist.batch.attribution.CreditReducer;
import org.lambdadist.batch.attribution.CreditSum;
import org.lambdadist.batch.attribution.JourneyKey;
import org.lambdadist.batch.attribution.JourneyMapper;
import org.lambdadist.batch.attribution.JourneyReducer;
import org.lambdadist.batch.attribution.JourneyStepWritable;
import org.lambdadist.core.attribution.ConversionPath;
import org.lambdadist.core.attribution.Touch;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.batch.partial.MasterRecords;

/** MRUnit tests of the attribute jobs' mapper and reducer. */
class AttributionJobsTest {
  static final String VIEWS = """
      {"views":[{"name":"v","granularities":["day"],"metrics":[{"name":"n","type":"count"}]}],
       "attribution":{"user_field":"user","touch":{"filter":{"field":"type","equals":"click"},
         "channel_field":"channel","campaign_field":"campaign"},
         "conversion":{"filter":{"field":"type","equals":"buy"},"revenue_field":"revenue"}}}
      """;

  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path tmp;

  private static Configuration conf() throws java.io.IOException {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaConfiguration.VIEWS_JSON, VIEWS);
    org.apache.hadoop.fs.Path set = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "partials/f1");
    MasterRecords.indexSkipping(conf, set, 1);
    conf.set(org.lambdadist.batch.partial.SkipPositions.PARTIALS_DIR, set.toString());
    return conf;
  }

  @Test
  void journeyMapperEmitsTouchesAndConversionsByUser() throws Exception {
    MapDriver<NullWritable, org.lambdadist.batch.master.ArrivedEventWritable, JourneyKey, JourneyStepWritable> d =
        MapDriver.newMapDriver(new JourneyMapper()).withConfiguration(conf());
    d.withInput(NullWritable.get(), MasterRecords.record(1, 0, 0,
            "{\"timestamp\":1000,\"event_id\":\"a\",\"type\":\"click\",\"user\":\"u1\",\"channel\":\"email\",\"campaign\":\"w1\"}"))
        .withInput(NullWritable.get(), MasterRecords.record(1, 0, 1,
            "{\"timestamp\":2000,\"event_id\":\"b\",\"type\":\"buy\",\"user\":\"u1\",\"revenue\":\"n/a\"}"))
        .withInput(NullWritable.get(), MasterRecords.record(1, 0, 2, "{\"timestamp\":3000,\"type\":\"view\",\"user\":\"u1\"}"))
        .withInput(NullWritable.get(), MasterRecords.record(1, 0, 3, "{\"timestamp\":3000,\"type\":\"click\"}"))
        .withInput(NullWritable.get(), MasterRecords.record(1, 0, 4, "not json"));
    List<Pair<JourneyKey, JourneyStepWritable>> out = d.run();
    assertEquals(2, out.size());
    assertEquals("u1", out.get(0).getFirst().user().toString());
    assertEquals("email", out.get(0).getSecond().channel());
    assertTrue(out.get(1).getSecond().isConversion());
    assertEquals(0.0, out.get(1).getSecond().revenue());
    assertEquals(1, d.getCounters().findCounter(JourneyMapper.Counters.BAD_REVENUE).getValue());
    assertEquals(1, d.getCounters().findCounter(JourneyMapper.Counters.NO_USER).getValue());
    assertEquals(1, d.getCounters().findCounter(JourneyMapper.Counters.REJECTED).getValue());
  }

  /** The reducer with its transition output captured, since MRUnit cannot run MultipleOutputs. */
  static final class CapturingJourneyReducer extends JourneyReducer {
    final Map<String, Long> transitions = new TreeMap<>();

    @Override
    protected void writeTransition(Context context, Text key, LongWritable count) {
      transitions.put(key.toString(), count.get());
    }
  }

  private static JourneyStepWritable touch(long t, String id, String channel) {
    JourneyStepWritable s = new JourneyStepWritable();
    s.touch(t, id, channel, null);
    return s;
  }

  @Test
  void journeyReducerCutsPathsAndCountsTransitions() throws Exception {
    CapturingJourneyReducer reducer = new CapturingJourneyReducer();
    JourneyKey key = new JourneyKey();
    key.set("u1", 0, "");
    JourneyStepWritable buy = new JourneyStepWritable();
    buy.conversion(3000, "c", 10.0);
    List<Pair<NullWritable, ConversionPathWritable>> out = ReduceDriver.newReduceDriver(reducer)
        .withConfiguration(conf())
        .withInput(key, List.of(touch(1000, "a", "email"), touch(2000, "b", "search"), buy, touch(4000, "d", "social")))
        .run();
    assertEquals(1, out.size());
    ConversionPath p = out.get(0).getSecond().get();
    assertEquals(List.of("email", "search"), p.touches().stream().map(Touch::channel).toList());
    assertEquals(10.0, p.revenue());
    // start→email, email→search, search→conversion; start→social, social→null.
    assertEquals(5, reducer.transitions.size());
    assertTrue(reducer.transitions.values().stream().allMatch(c -> c == 1L));
  }

  @Test
  void creditMapperAndReducerSumEveryModelsCredits() throws Exception {
    ConversionPathWritable path = new ConversionPathWritable();
    path.set(new ConversionPath(86_400_000L * 20_000 + 5, "c", 100.0,
        List.of(new Touch(1, "a", "email", "w1"), new Touch(2, "b", "search", null))));
    List<Pair<CreditKey, CreditSum>> mapped = MapDriver.newMapDriver(new CreditMapper()).withConfiguration(conf())
        .withInput(NullWritable.get(), path).run();
    double total = 0;
    for (Pair<CreditKey, CreditSum> p : mapped) {
      total += p.getSecond().conversions();
    }
    assertEquals(7.0, total, 1e-12, "one conversion under each of the 7 models");
    CreditKey linearEmail = new CreditKey();
    linearEmail.set("linear", "2024-10-04", "email", "w1");
    CreditSum half = new CreditSum();
    half.set(0.5, 50.0);
    List<Pair<Text, NullWritable>> reduced = ReduceDriver.newReduceDriver(new CreditReducer())
        .withInput(linearEmail, List.of(half, half)).run();
    JsonNode row = new ObjectMapper().readTree(reduced.get(0).getFirst().toString());
    assertEquals("{\"model\":\"linear\",\"day\":\"2024-10-04\",\"channel\":\"email\",\"campaign\":\"w1\",\"conversions\":1.0,\"revenue\":100.0}",
        reduced.get(0).getFirst().toString());
    assertEquals(1.0, row.get("conversions").asDouble());
    List<String> days = new ArrayList<>();
    mapped.forEach(p -> days.add(p.getFirst().day()));
    assertTrue(days.stream().allMatch(d -> d.equals("2024-10-04")), days.toString());
  }
}
