package org.lambdadist.batch.partial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.batch.aggregate.AggregateTool;
import org.lambdadist.batch.master.ImportTool;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The partial rows {@code import} computes in process are the bytes aggregate's MapReduce job
 * computes from the same epoch (rows, quarantine lines, checked counters), and an epoch whose
 * table would not fit is left to the job, with the same version in the end.
 */
class PartialRowsInProcessTest {
  static final String VIEWS = """
      {"views":[{"name":"cc","filter":{"field":"type","in":["click","conversion"]},
        "dimensions":["campaign","channel"],"granularities":["minute","day"],
        "metrics":[{"name":"n","type":"count"},{"name":"rev","type":"sum","field":"revenue"},
          {"name":"lo","type":"min","field":"revenue"},{"name":"hi","type":"max","field":"revenue"},
          {"name":"avg","type":"avg","field":"revenue"},{"name":"users","type":"distinct","field":"user_id"}]},
       {"name":"pages","dimensions":["page"],"granularities":["day"],
        "metrics":[{"name":"n","type":"count"},{"name":"users","type":"distinct","field":"user_id"}]}]}
      """;

  private record Run(int code, String err) {}

  private static Run run(Configuration conf, LambdaTool tool, String... args) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    tool.withErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = ToolRunner.run(new Configuration(conf), tool, args);
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  private static Configuration conf(Path tmp, String name, boolean inProcess) throws Exception {
    Configuration conf = LambdaSettings.create();
    conf.set("fs.defaultFS", "file:///");
    conf.set("lambda.root", tmp.resolve(name).toUri().toString());
    Path views = tmp.resolve("views.json");
    Files.writeString(views, VIEWS);
    conf.set("lambda.views.file", views.toString());
    conf.setBoolean("lambda.import.partial-rows", inProcess);
    return conf;
  }

  /** Two epochs of clickstream with copies within and across them, and lines that are rejected. */
  private static List<Path> inputs(Path tmp) throws Exception {
    List<String> first = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(30_000, 5)).forEachRemaining(first::add);
    first.add("{\"timestamp\":\"soon\",\"type\":\"click\"}");
    first.add("not json \u00e9");
    List<String> second = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(6_000, 6)).forEachRemaining(second::add);
    for (int i = 0; i < 200; i++) {
      second.add(i * 7 % second.size(), first.get(i * 31));
    }
    second.add("[1,2]");
    Path a = tmp.resolve("a.jsonl");
    Path b = tmp.resolve("b.jsonl");
    Files.write(a, first);
    Files.write(b, second);
    return List.of(a, b);
  }

  private static Map<String, byte[]> partFiles(FileSystem fs, org.apache.hadoop.fs.Path dir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    for (FileStatus s : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (var in = fs.open(s.getPath())) {
        files.put(s.getPath().getName(), in.readAllBytes());
      }
    }
    return files;
  }

  private static List<String> quarantineLines(FileSystem fs, org.apache.hadoop.fs.Path rows) throws Exception {
    List<String> lines = new ArrayList<>();
    for (byte[] f : partFiles(fs, new org.apache.hadoop.fs.Path(rows, Partials.QUARANTINE_DIR)).values()) {
      new String(f, StandardCharsets.UTF_8).lines().forEach(lines::add);
    }
    lines.sort(null);
    return lines;
  }

  private static Partials partials(Configuration conf) throws Exception {
    List<String> sets = Partials.fingerprints(conf, new org.apache.hadoop.fs.Path(conf.get("lambda.root")));
    assertEquals(1, sets.size(), sets.toString());
    return new Partials(conf, new org.apache.hadoop.fs.Path(conf.get("lambda.root")), sets.get(0));
  }

  @Test
  void importComputesTheRowsTheJobComputes(@TempDir Path tmp) throws Exception {
    List<Path> inputs = inputs(tmp);
    Configuration inProcess = conf(tmp, "in-process", true);
    Configuration byJob = conf(tmp, "by-job", false);
    for (Path input : inputs) {
      Run r = run(inProcess, new ImportTool(), input.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.err().contains("partial rows of epoch"), r.err());
      r = run(byJob, new ImportTool(), input.toString());
      assertEquals(0, r.code(), r.err());
      assertFalse(r.err().contains("partial rows of epoch"), r.err());
    }
    Partials mine = partials(inProcess);
    Partials theirs = partials(byJob);
    assertEquals(mine.fingerprint(), theirs.fingerprint(), "whoever computes them, the rows are one set");
    for (long e = 1; e <= 2; e++) {
      assertTrue(mine.hasRows(e));
      assertFalse(theirs.hasRows(e));
    }
    Run r = run(inProcess, new AggregateTool());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("partials computed for 0 epoch(s) none, reused for 2"), r.err());
    r = run(byJob, new AggregateTool());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("partials computed for 2 epoch(s) 1-2, reused for 0"), r.err());

    FileSystem fs = mine.fileSystem();
    for (long e = 1; e <= 2; e++) {
      Map<String, byte[]> a = partFiles(fs, mine.rowsDir(e));
      Map<String, byte[]> b = partFiles(fs, theirs.rowsDir(e));
      assertEquals(b.keySet(), a.keySet(), "epoch " + e);
      assertFalse(a.isEmpty());
      for (String part : a.keySet()) {
        assertArrayEquals(b.get(part), a.get(part), "epoch " + e + " " + part);
      }
      List<String> quarantined = quarantineLines(fs, mine.rowsDir(e));
      assertEquals(quarantineLines(fs, theirs.rowsDir(e)), quarantined, "epoch " + e);
      assertFalse(quarantined.isEmpty());
      Map<String, Long> counters = new TreeMap<>(PartialRowsJob.counters(mine, e));
      Map<String, Long> expected = new TreeMap<>(PartialRowsJob.counters(theirs, e));
      // How many rows the folds emitted before the final merge depends on the grouping.
      counters.remove("partial_rows");
      expected.remove("partial_rows");
      assertEquals(expected, counters, "epoch " + e);
    }
    assertTrue(PartialRowsJob.counters(mine, 2).get("duplicates_skipped") >= 200, "copies of epoch 1 skipped");
  }

  @Test
  void anEpochOverTheTableLimitIsLeftToTheJob(@TempDir Path tmp) throws Exception {
    Configuration conf = conf(tmp, "root", true);
    conf.setInt("lambda.aggregate.flush-rows", 50);
    Path input = inputs(tmp).get(0);
    Run r = run(conf, new ImportTool(), input.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("its partial rows are left to the next aggregate")
        && r.err().contains("lambda.aggregate.flush-rows"), r.err());
    assertEquals(1, r.err().split("left to the next aggregate", -1).length - 1, "tried once: " + r.err());
    Partials partials = partials(conf);
    assertTrue(partials.hasIndex(1));
    assertFalse(partials.hasRows(1));
    assertFalse(partials.fileSystem().exists(partials.tmpDir())
        && partials.fileSystem().listStatus(partials.tmpDir()).length > 0, "nothing left behind");
    r = run(conf, new AggregateTool());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("partials computed for 1 epoch(s) 1"), r.err());
  }
}
