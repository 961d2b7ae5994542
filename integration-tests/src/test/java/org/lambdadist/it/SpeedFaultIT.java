package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.speed.SpeedLayerMain;

/**
 * The fault test: while a producer keeps sending, the speed layer is stopped without grace at
 * random points five times in this JVM and once killed with {@code kill -9} in a JVM of its
 * own, each time restarted from its stored offsets and dedup files; once it has caught up every
 * answer equals the oracle: no event lost, none counted twice.
 */
class SpeedFaultIT {

  @Test
  void killedAtRandomPointsTheSpeedLayerLosesAndDoublesNothing(@TempDir Path dir) throws Exception {
    try (SpeedStack stack = new SpeedStack(dir)) {
      stack.conf.set("lambda.epoch.interval", "4s"); // epochs close across the faults too
      ViewOracle oracle = new ViewOracle(ClickstreamViews.catalog());
      List<String> lines = new ArrayList<>();
      new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(40_000, 90)).forEachRemaining(lines::add);
      for (String l : lines) {
        oracle.accept(l.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      AtomicReference<Exception> producerFailure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          for (int from = 0; from < lines.size(); from += 1_000) {
            stack.produce(lines.subList(from, Math.min(lines.size(), from + 1_000)));
            TimeUnit.MILLISECONDS.sleep(400);
          }
        } catch (Exception e) {
          producerFailure.set(e);
        }
      });
      producer.start();

      Random random = new Random(17);
      for (int i = 0; i < 5; i++) {
        JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(stack.conf), Clock.systemUTC());
        TimeUnit.MILLISECONDS.sleep(1_500 + random.nextInt(3_500));
        SpeedLayerMain.stop(speed, false); // no grace: the running micro-batch is cut off
      }
      killedProcess(stack, dir, 7_000 + random.nextInt(5_000));

      producer.join();
      assertEquals(null, producerFailure.get());
      JavaStreamingContext speed = SpeedLayerMain.start(SpeedLayerMain.settings(stack.conf), Clock.systemUTC());
      try {
        stack.awaitCaughtUp(Duration.ofMinutes(3));
        Map<String, ViewOracle.Row> expected = oracle.rows();
        List<String> diffs = ViewOracle.differences(expected, stack.lookupAll(expected), stack.catalog, 0.05);
        assertTrue(diffs.isEmpty(), "after the faults: " + diffs);
        EpochStore.SpeedProgress progress = new EpochStore(stack.connection, new HBaseSchema(stack.conf)).readProgress();
        assertEquals(oracle.accepted() - oracle.duplicates(), progress.accepted(), "0 lost, 0 double");
        assertEquals(oracle.duplicates(), progress.duplicates());
        assertEquals(oracle.rejected(), progress.rejected());
        assertTrue(stack.countRecords("events.rejected") >= oracle.rejected(), "dead letters are at least once");
        assertTrue(new EpochStore(stack.connection, new HBaseSchema(stack.conf)).readChain().lastClosed() >= 2,
            "epochs closed while faults happened");
      } finally {
        SpeedLayerMain.stop(speed, true);
      }
    }
  }

  /** Runs the speed layer as its own JVM on the same state directory and kills it with SIGKILL. */
  private static void killedProcess(SpeedStack stack, Path dir, long afterMillis) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    for (String flag : System.getProperty("lambda.jvm.flags", "").split(" ")) {
      if (!flag.isBlank()) {
        cmd.add(flag);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.lambdadist.speed.SpeedLayerMain");
    for (Map.Entry<String, String> e : stack.conf) {
      if (e.getKey().startsWith("lambda.") || e.getKey().startsWith("hbase.zookeeper.")
          || e.getKey().equals("zookeeper.znode.parent") || e.getKey().equals("fs.defaultFS")) {
        cmd.add("-D");
        cmd.add(e.getKey() + "=" + e.getValue());
      }
    }
    File log = dir.resolve("speed-process.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    TimeUnit.MILLISECONDS.sleep(afterMillis);
    assertTrue(p.isAlive(), "the speed layer process died by itself: "
        + String.join("\n", java.nio.file.Files.readAllLines(log.toPath())));
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no grace
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }
}
