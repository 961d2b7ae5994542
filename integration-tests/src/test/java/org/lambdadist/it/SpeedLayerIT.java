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
import org.lambdadist.serving.store.EpochStore;
import org.lambdadist.serving.store.HBaseSchema;
import org.lambdadist.speed.SpeedLayerMain;

/**
 * The speed layer on a real broker, a real HBase and Spark {@code local[2]} (one of each for
 * the class): generated events (duplicates, late and malformed lines included) through Kafka;
 * once the lag is 0 every HTTP lookup equals the in-memory oracle and the batch path over the
 * same events (parity); epochs close, are archived, aggregated and loaded while answers stay
 * exact; the archiver survives a crash and refuses ranges retention removed.
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
      speed.stop(true, true);
    }
  }
}
