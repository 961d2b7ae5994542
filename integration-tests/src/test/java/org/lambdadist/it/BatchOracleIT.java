package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The oracle test on the LocalJobRunner: generated events (two epochs, duplicates within and
 * across them, a retry with a different timestamp, late and malformed lines) → import →
 * aggregate → export equals the in-memory oracle for every view and granularity; the counters
 * and the quarantine account for every record; a rerun is byte-identical.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchOracleIT {
  private java.nio.file.Path tmp;

  private BatchHarness batch;
  private ViewCatalog catalog;
  private final ViewOracle oracle = new ViewOracle(ClickstreamViews.catalog());
  private final ViewOracle oracleEpoch1 = new ViewOracle(ClickstreamViews.catalog());
  private Path root;

  @BeforeAll
  void importTwoEpochs(@TempDir java.nio.file.Path dir) throws Exception {
    tmp = dir;
    Configuration conf = LambdaSettings.create();
    conf.set("fs.defaultFS", "file:///");
    root = new Path(tmp.resolve("root").toUri());
    conf.set("lambda.root", root.toString());
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
    batch = new BatchHarness(conf);
    catalog = ClickstreamViews.catalog();

    List<String> first = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(20_000, 11)).forEachRemaining(first::add);
    List<String> second = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(8_000, 12)).forEachRemaining(second::add);
    // Cross-epoch duplicates, and a retry of an event with the same id but another time: the
    // first arrival wins.
    for (int i = 0; i < 300; i++) {
      second.add(i * 13 % second.size(), first.get(i * 37));
    }
    String retried = first.get(5).replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"2026-12-25T00:00:00Z\"");
    second.add(retried);
    second.add("");
    second.add("{\"timestamp\":\"2026-11-01T00:00:00Z\",\"pad\":\"" + "x".repeat(70_000) + "\"}");

    Path a = new Path(tmp.resolve("a.jsonl").toUri());
    batch.write(a, first.iterator());
    java.nio.file.Path b = tmp.resolve("b.jsonl.gz");
    try (var out = new java.io.PrintWriter(new java.io.OutputStreamWriter(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(b)), StandardCharsets.UTF_8))) {
      second.forEach(l -> out.print(l + "\n"));
    }
    first.forEach(l -> {
      oracle.accept(l.getBytes(StandardCharsets.UTF_8));
      oracleEpoch1.accept(l.getBytes(StandardCharsets.UTF_8));
    });
    second.stream().filter(l -> !l.isBlank()).forEach(l -> oracle.accept(l.getBytes(StandardCharsets.UTF_8)));

    BatchHarness.Run r = batch.importFiles(a.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("epoch 1"), r.err());
    r = batch.importFiles(b.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("1 blank lines skipped") && r.err().contains("epoch 2"), r.err());
    assertTrue(r.err().contains("partial rows of epoch 2"), "import computed the epoch's partial rows: " + r.err());
  }

  private Path latestVersion() throws IOException {
    FileSystem fs = root.getFileSystem(batch.conf());
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(root, "views"))) {
      if (!s.getPath().getName().startsWith("_")) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(null);
    return new Path(new Path(root, "views"), names.get(names.size() - 1));
  }

  private Map<String, ViewOracle.Row> exportAll(String... extra) throws Exception {
    Map<String, ViewOracle.Row> all = new TreeMap<>();
    int n = 0;
    for (ViewDefinition v : catalog.views()) {
      for (Granularity g : v.granularities()) {
        Path out = new Path(tmp.resolve("export-" + System.nanoTime() + "-" + n++ + ".jsonl").toUri());
        List<String> args = new ArrayList<>(List.of("--view", v.name(), "--granularity", g.label(), "--output", out.toString()));
        args.addAll(List.of(extra));
        BatchHarness.Run r = batch.export(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = batch.readLines(out);
        assertEquals(lines.stream().sorted(BatchOracleIT::exportOrder).collect(Collectors.toList()), lines,
            "rows sorted by key, then bucket");
        all.putAll(BatchHarness.parseExport(lines));
      }
    }
    return all;
  }

  /** Key then bucket, as export promises; compares the JSON text of key and bucket. */
  private static int exportOrder(String a, String b) {
    try {
      ObjectMapper m = new ObjectMapper();
      JsonNode x = m.readTree(a);
      JsonNode y = m.readTree(b);
      List<String> kx = new ArrayList<>();
      x.get("key").elements().forEachRemaining(v -> kx.add(v.isNull() ? null : v.asText()));
      List<String> ky = new ArrayList<>();
      y.get("key").elements().forEachRemaining(v -> ky.add(v.isNull() ? null : v.asText()));
      for (int i = 0; i < kx.size(); i++) {
        int c = java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()).compare(kx.get(i), ky.get(i));
        if (c != 0) {
          return c;
        }
      }
      return x.get("bucket").asText().compareTo(y.get("bucket").asText());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aggregateEqualsTheOracleAndAccountsForEveryRecord() throws Exception {
    BatchHarness.Run r = batch.aggregate();
    assertEquals(0, r.exitCode(), r.err());
    Path version = latestVersion();
    FileSystem fs = version.getFileSystem(batch.conf());

    Map<String, Object> coverage;
    try (InputStream in = fs.open(new Path(version, "_coverage.json"))) {
      coverage = new ObjectMapper().readValue(in, Map.class);
    }
    assertEquals(List.of(1, 2), coverage.get("epochs"));
    @SuppressWarnings("unchecked")
    Map<String, Number> counters = (Map<String, Number>) coverage.get("counters");
    assertEquals(oracle.accepted() + oracle.rejected(), counters.get("records_read").longValue());
    assertEquals(oracle.rejected(), counters.get("events_rejected").longValue());
    assertEquals(oracle.duplicates(), counters.get("duplicates").longValue());
    assertTrue(oracle.duplicates() > 600, "duplicates within and across epochs: " + oracle.duplicates());
    assertTrue(counters.get("bad_metric_values").longValue() > 0);
    assertEquals(1, counters.get("rejected_TOO_LARGE").longValue());

    List<String> diffs = ViewOracle.differences(oracle.rows(), exportAll(), catalog, 0.05);
    assertEquals(List.of(), diffs);

    List<String> quarantined = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(version, "quarantine"))) {
      if (s.getPath().getName().startsWith("part-")) {
        quarantined.addAll(batch.readLines(s.getPath()));
      }
    }
    assertEquals(oracle.rejected(), quarantined.size());
    Set<String> reasons = Set.of(java.util.Arrays.stream(RejectReason.values()).map(Enum::name).toArray(String[]::new));
    Map<String, Integer> byReason = new HashMap<>();
    for (String line : quarantined) {
      JsonNode q = new ObjectMapper().readTree(line);
      assertTrue(reasons.contains(q.get("reason").asText()), line);
      assertTrue(q.get("epoch").asLong() == 1 || q.get("epoch").asLong() == 2);
      assertTrue(q.has("message") && q.has("raw"));
      byReason.merge(q.get("reason").asText(), 1, Integer::sum);
    }
    assertEquals(1, byReason.get("TOO_LARGE"));
  }

  @Test
  void aRerunIsByteIdenticalAndAnEpochRangeCoversOnlyItsEpochs() throws Exception {
    assertEquals(0, batch.aggregate().exitCode());
    Path v1 = latestVersion();
    assertEquals(0, batch.aggregate().exitCode());
    Path v2 = latestVersion();
    assertTrue(!v1.equals(v2));
    FileSystem fs = v1.getFileSystem(batch.conf());
    for (String part : List.of("part-r-00000", "part-r-00001")) {
      assertArrayEquals(read(fs, new Path(v1, part)), read(fs, new Path(v2, part)), part);
    }

    BatchHarness.Run r = batch.aggregate("--epochs", "1-1");
    assertEquals(0, r.exitCode(), r.err());
    Path v3 = latestVersion();
    List<String> diffs = ViewOracle.differences(oracleEpoch1.rows(), exportAll("--version", v3.getName()), catalog, 0.05);
    assertEquals(List.of(), diffs);

    // Incremental: epoch 2's partial merged onto the epoch-1 version is byte for byte the
    // version --full computes from scratch (every index and partial recomputed, by the job:
    // the first run merged the partials import computed in process).
    byte[][] firstRun = {read(fs, new Path(v1, "part-r-00000")), read(fs, new Path(v1, "part-r-00001"))};
    fs.delete(v1, true); // leave the epoch-1 version as the only base to merge onto
    fs.delete(v2, true);
    r = batch.aggregate();
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("version merged from version " + v3.getName() + " + 1 epoch partial(s)"), r.err());
    Path incremental = latestVersion();
    r = batch.aggregate("--full");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("partials computed for 2 epoch(s) 1-2, reused for 0"), r.err());
    Path scratch = latestVersion();
    for (String part : List.of("part-r-00000", "part-r-00001")) {
      assertArrayEquals(read(fs, new Path(scratch, part)), read(fs, new Path(incremental, part)), part);
      assertArrayEquals(firstRun[part.endsWith("0") ? 0 : 1], read(fs, new Path(scratch, part)), part);
    }
  }

  @Test
  void csvExportHasAHeaderAndOneLinePerRow() throws Exception {
    assertEquals(0, batch.aggregate().exitCode());
    Path json = new Path(tmp.resolve("c.jsonl").toUri());
    Path csv = new Path(tmp.resolve("c.csv").toUri());
    assertEquals(0, batch.export("--view", "orders_by_country", "--granularity", "day", "--output", json.toString()).exitCode());
    assertEquals(0, batch.export("--view", "orders_by_country", "--granularity", "day", "--format", "csv",
        "--output", csv.toString()).exitCode());
    List<String> csvLines = batch.readLines(csv);
    assertEquals("view,granularity,bucket,country,device.os,orders,revenue,revenue_min,revenue_max,revenue_avg,buyers",
        csvLines.get(0));
    assertEquals(batch.readLines(json).size() + 1, csvLines.size());
  }

  private static byte[] read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }
}
