package org.lambdadist.batch.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mrunit.mapreduce.MapDriver;
import org.apache.hadoop.mrunit.mapreduce.ReduceDriver;
import org.apache.hadoop.mrunit.types.Pair;
import org.junit.jupiter.api.Test;
import org.lambdadist.batch.master.ArrivalPositionWritable;
import org.lambdadist.batch.master.ArrivedEventWritable;

/** MRUnit tests of job 1: ids and positions in, later copies out. */
public class DuplicateIdTest {
  public static ArrivedEventWritable record(long epoch, int partition, long offset, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new ArrivedEventWritable(epoch, partition, offset, 0, b, b.length);
  }

  @Test
  void mapperEmitsIdAndPositionOfAcceptedEventsWithAnId() throws Exception {
    MapDriver<NullWritable, ArrivedEventWritable, Text, ArrivalPositionWritable> driver =
        MapDriver.newMapDriver(new DuplicateIdMapper());
    // The views decide which values are keys (core's admission rule): a campaign of 2,000 bytes is not an event.
    driver.getConfiguration().set(org.lambdadist.batch.LambdaConfiguration.VIEWS_JSON, "{\"views\":[{\"name\":\"v\","
        + "\"dimensions\":[\"campaign\"],\"granularities\":[\"day\"],\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]}]}");
    List<Pair<Text, ArrivalPositionWritable>> out = driver
        .withInput(NullWritable.get(), record(1, 0, 0, "{\"timestamp\":1,\"event_id\":\"a\"}"))
        .withInput(NullWritable.get(), record(1, 0, 1, "{\"timestamp\":1}"))
        .withInput(NullWritable.get(), record(1, 0, 2, "{\"event_id\":\"b\"}"))
        .withInput(NullWritable.get(), record(2, 3, 7, "{\"timestamp\":1,\"event_id\":42}"))
        .withInput(NullWritable.get(), record(2, 3, 8, "{\"timestamp\":1,\"event_id\":\"c\",\"campaign\":\""
            + "x".repeat(2000) + "\"}"))
        .run();
    assertEquals(2, out.size());
    assertEquals(new Text("a"), out.get(0).getFirst());
    assertEquals(new ArrivalPositionWritable(1, 0, 0), out.get(0).getSecond());
    assertEquals(new Text("42"), out.get(1).getFirst());
    assertEquals(new ArrivalPositionWritable(2, 3, 7), out.get(1).getSecond());
  }

  @Test
  void reducerWritesEveryCopyButTheFirstArrival() throws Exception {
    ReduceDriver<Text, ArrivalPositionWritable, ArrivalPositionWritable, NullWritable> driver =
        ReduceDriver.newReduceDriver(new DuplicateIdReducer());
    driver.withInput(new Text("a"), List.of(
            new ArrivalPositionWritable(2, 0, 5), new ArrivalPositionWritable(1, 4, 9), new ArrivalPositionWritable(1, 4, 3)))
        .withInput(new Text("b"), List.of(new ArrivalPositionWritable(1, 0, 0)))
        .withOutput(new ArrivalPositionWritable(2, 0, 5), NullWritable.get())
        .withOutput(new ArrivalPositionWritable(1, 4, 9), NullWritable.get())
        .runTest();
    assertEquals(2, driver.getCounters().findCounter(DuplicateCounters.DUPLICATES).getValue());
  }
}
