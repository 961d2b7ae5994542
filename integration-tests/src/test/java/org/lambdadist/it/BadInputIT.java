package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Bad input ends with one clear message and a non-zero exit, and leaves the master dataset
 * and existing outputs exactly as they were.
 */
class BadInputIT {
  @TempDir
  Path tmp;

  private BatchHarness batch;
  private Path root;

  @BeforeEach
  void setUp() throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set("fs.defaultFS", "file:///");
    root = tmp.resolve("root");
    conf.set("lambda.root", root.toUri().toString());
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
    batch = new BatchHarness(conf);
    Path good = tmp.resolve("good.jsonl");
    Files.writeString(good, "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"type\":\"click\",\"campaign\":\"w1\",\"channel\":\"email\"}\n");
    assertEquals(0, batch.importFiles(good.toString()).exitCode());
    assertEquals(0, batch.aggregate().exitCode());
  }

  /** Every file under the root with its content, to prove a failure changed nothing. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        } else if (Files.isDirectory(p) && !p.getFileName().toString().equals("_tmp")) {
          files.put(root.relativize(p) + "/", "");
        }
      }
    }
    return files;
  }

  private void failsCleanly(BatchHarness.Run run, String... expected) {
    assertNotEquals(0, run.exitCode(), run.err());
    for (String e : expected) {
      assertTrue(run.err().contains(e), "expected '" + e + "' in: " + run.err());
    }
    assertFalse(run.err().contains("\tat "), "a clear message, not a stack trace: " + run.err());
  }

  @Test
  void missingInputPath() throws Exception {
    Map<String, String> before = snapshot();
    failsCleanly(batch.importFiles(tmp.resolve("nope.jsonl").toString()), "input path does not exist", "nope.jsonl");
    failsCleanly(batch.importFiles(), "no input paths");
    assertEquals(before, snapshot());
  }

  @Test
  void corruptGzipLeavesNoEpoch() throws Exception {
    Path gz = tmp.resolve("broken.jsonl.gz");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
      for (int i = 0; i < 5_000; i++) {
        out.write(("{\"timestamp\":" + i + ",\"type\":\"click\",\"n\":" + i * 7919 + "}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] b = bytes.toByteArray();
    Files.write(gz, java.util.Arrays.copyOf(b, b.length / 2)); // truncated
    Path good = tmp.resolve("ok.jsonl");
    Files.writeString(good, "{\"timestamp\":1}\n");
    Map<String, String> before = snapshot();
    failsCleanly(batch.importFiles(good.toString(), gz.toString()), "broken.jsonl.gz", "nothing was imported");
    assertEquals(before, snapshot());
  }

  @Test
  void anEmptyInputMakesNoEpoch() throws Exception {
    Path empty = tmp.resolve("empty.jsonl");
    Files.writeString(empty, "\n  \n");
    Map<String, String> before = snapshot();
    failsCleanly(batch.importFiles(empty.toString()), "no events");
    assertEquals(before, snapshot());
  }

  @Test
  void importNeverTouchesAnExistingEpoch() throws Exception {
    // A leftover epoch directory (say, from a crashed writer) is never reused or appended to.
    Files.createDirectories(root.resolve("master/epoch=2"));
    Files.writeString(root.resolve("master/epoch=2/part-00000.seq"), "leftover");
    Map<String, String> before = snapshot();
    Path more = tmp.resolve("more.jsonl");
    Files.writeString(more, "{\"timestamp\":2}\n");
    BatchHarness.Run r = batch.importFiles(more.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("epoch 3"), r.err());
    Map<String, String> after = snapshot();
    before.forEach((k, v) -> assertEquals(v, after.get(k), k));
  }

  @Test
  void malformedViewsFileFailsBeforeAnyJob() throws Exception {
    Path views = tmp.resolve("views.json");
    Files.writeString(views, "{\"views\":[{\"name\":\"traffic\",\"granularities\":[\"week\"],"
        + "\"metrics\":[{\"name\":\"n\",\"type\":\"count\"}]}]}");
    batch.conf().set("lambda.views.file", views.toString());
    Map<String, String> before = snapshot();
    failsCleanly(batch.aggregate(), "view 'traffic'", "granularities[0]", "week");
    Files.writeString(views, "{\"views\": [");
    failsCleanly(batch.aggregate(), "not valid JSON");
    batch.conf().set("lambda.views.file", tmp.resolve("absent.json").toString());
    failsCleanly(batch.aggregate(), "absent.json", "does not exist");
    assertEquals(before, snapshot());
  }

  @Test
  void exportOfAnUnknownViewOrGranularity() throws Exception {
    Map<String, String> before = snapshot();
    failsCleanly(batch.export("--view", "nope", "--granularity", "day"), "unknown view 'nope'", "campaign_traffic");
    failsCleanly(batch.export("--view", "orders_by_country", "--granularity", "minute"), "no minute granularity");
    failsCleanly(batch.export("--view", "orders_by_country", "--granularity", "week"), "unknown granularity");
    failsCleanly(batch.export("--view", "orders_by_country"), "--granularity");
    failsCleanly(batch.export("--view", "orders_by_country", "--granularity", "day", "--version", "v1"), "no committed batch view version");
    assertEquals(before, snapshot());
  }

  @Test
  void aggregateRefusesBadEpochRangesAndEmptyMasters() throws Exception {
    Map<String, String> before = snapshot();
    failsCleanly(batch.aggregate("--epochs", "1-4"), "epochs [2, 3, 4] are not committed");
    failsCleanly(batch.aggregate("--epochs", "x"), "--epochs");
    List<String> none = new ArrayList<>();
    batch.conf().set("lambda.root", tmp.resolve("empty-root").toUri().toString());
    failsCleanly(batch.aggregate(none.toArray(new String[0])), "no committed epoch", "run import first");
    batch.conf().set("lambda.root", root.toUri().toString());
    assertEquals(before, snapshot());
  }
}
