package org.lambdadist.batch.partial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.settings.LambdaSettings;

/** The id indexes: first arrival wins across partitions and epochs, and only accepted records count. */
class EpochIndexesTest {
  static final String VIEWS = """
      {"views":[{"name":"v","dimensions":["page"],"granularities":["day"],
        "metrics":[{"name":"n","type":"count"}]}]}
      """;

  private static String event(String id) {
    return "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"page\":\"/\"" + (id == null ? "" : ",\"event_id\":\"" + id + "\"") + "}";
  }

  private static void writeEpoch(Configuration conf, MasterDataset master, long epoch, String[][] partitions) throws Exception {
    FileSystem fs = master.fileSystem();
    for (int p = 0; p < partitions.length; p++) {
      try (SequenceFile.Writer w = SequenceFile.createWriter(conf,
          SequenceFile.Writer.file(new org.apache.hadoop.fs.Path(master.epochDir(epoch), "part-" + p)),
          SequenceFile.Writer.keyClass(NullWritable.class), SequenceFile.Writer.valueClass(ArrivedEventWritable.class))) {
        for (int o = 0; o < partitions[p].length; o++) {
          w.append(NullWritable.get(), MasterRecords.record(epoch, p, o, partitions[p][o]));
        }
      }
    }
    fs.create(new org.apache.hadoop.fs.Path(master.epochDir(epoch), "_SUCCESS"), false).close();
  }

  private static List<String> skips(Configuration conf, Partials partials, long epoch, int... positions) throws Exception {
    List<String> out = new ArrayList<>();
    SkipPositions.EpochSkips s = new SkipPositions(conf, partials).epoch(epoch);
    for (int p = 0; p < 3; p++) {
      for (int o = 0; o < 4; o++) {
        if (s.contains(p, o)) {
          out.add(p + ":" + o);
        }
      }
    }
    return out;
  }

  private static List<String> ids(Partials partials, long epoch) throws Exception {
    List<String> out = new ArrayList<>();
    try (IdIndexFile.Reader r = new IdIndexFile.Reader(partials.fileSystem(),
        new org.apache.hadoop.fs.Path(partials.indexDir(epoch), Partials.IDS_FILE))) {
      while (r.next()) {
        byte[] id = r.id();
        assertEquals(EventIds.hash(id), r.hash());
        out.add(new String(id, StandardCharsets.UTF_8));
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void firstAcceptedArrivalWinsWithinAndAcrossEpochs(@TempDir Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.toUri().toString());
    MasterDataset master = new MasterDataset(conf, root);
    String rejectedC = "{\"timestamp\":\"soon\",\"event_id\":\"c\"}";
    writeEpoch(conf, master, 1, new String[][] {
        {event("a"), event("a"), event("")},
        {event("b"), rejectedC, event(null)}});
    writeEpoch(conf, master, 2, new String[][] {
        {event("c"), event("a"), event("d")},
        {event("b"), event("d"), event("")}});
    EventRules rules = LambdaSettings.eventRules(conf, ViewCatalog.parse(VIEWS, "test"));
    Partials partials = PartialSet.open(conf, root, rules.catalog(), rules.limits(), 2);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    EpochIndexes indexes = new EpochIndexes(conf, rules, master, partials, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertEquals(List.of(1L, 2L), indexes.ensureThrough(2));
    assertEquals(List.of("0:1"), skips(conf, partials, 1));
    assertEquals(List.of("", "a", "b"), ids(partials, 1));
    // c's copy in epoch 1 was rejected, so epoch 2's c is the first event c; d's first arrival is
    // partition 0 offset 2; a, b and the empty id are held by epoch 1.
    assertEquals(List.of("0:1", "1:0", "1:1", "1:2"), skips(conf, partials, 2));
    assertEquals(List.of("c", "d"), ids(partials, 2));
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("index of epoch 2: 6 records, 6 accepted with an id"), log.toString());

    assertEquals(List.of(), indexes.ensureThrough(2), "current indexes are reused");
    byte[] before = partials.fileSystem().open(new org.apache.hadoop.fs.Path(partials.indexDir(2), Partials.SKIP_FILE)).readAllBytes();
    partials.fileSystem().delete(partials.indexDir(2), true);
    assertEquals(List.of(2L), indexes.ensureThrough(2));
    assertArrayEquals(before,
        partials.fileSystem().open(new org.apache.hadoop.fs.Path(partials.indexDir(2), Partials.SKIP_FILE)).readAllBytes());

    // An earlier epoch committed late makes the later index stale: it is rebuilt against it.
    writeEpoch(conf, master, 0, new String[][] {{event("c")}});
    assertEquals(List.of(0L, 1L, 2L), indexes.ensureThrough(2));
    assertEquals(List.of("0:0", "0:1", "1:0", "1:1", "1:2"), skips(conf, partials, 2), "c is now held by epoch 0");
    assertFalse(ids(partials, 2).contains("c"));
  }

  /** Every value of an epoch's events files, file by file, as bytes. */
  private static List<String> events(Configuration conf, Partials partials, long epoch) throws Exception {
    List<String> out = new ArrayList<>();
    org.apache.hadoop.fs.FileStatus[] files = partials.fileSystem().globStatus(
        new org.apache.hadoop.fs.Path(partials.indexDir(epoch), Partials.EVENTS_PREFIX + "*" + Partials.EVENTS_SUFFIX));
    java.util.Arrays.sort(files);
    for (org.apache.hadoop.fs.FileStatus f : files) {
      try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(f.getPath()))) {
        org.apache.hadoop.io.BytesWritable value = new org.apache.hadoop.io.BytesWritable();
        while (r.next(NullWritable.get(), value)) {
          out.add(f.getPath().getName() + " " + java.util.HexFormat.of().formatHex(value.copyBytes()));
        }
      }
    }
    return out;
  }

  @Test
  void anEpochParsedWhileImportedIsIndexedAsIfReadFromItsMasterFiles(@TempDir Path tmp) throws Exception {
    Configuration conf = LambdaSettings.create();
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.toUri().toString());
    MasterDataset master = new MasterDataset(conf, root);
    String[][] second = {
        {event("c"), event("a"), "not json", event("d")},
        {event("b"), event("d"), event(""), "{\"timestamp\":\"soon\",\"event_id\":\"e\"}"}};
    writeEpoch(conf, master, 1, new String[][] {{event("a"), event("b")}});
    EventRules rules = LambdaSettings.eventRules(conf, ViewCatalog.parse(VIEWS, "test"));
    Partials partials = PartialSet.open(conf, root, rules.catalog(), rules.limits(), 2);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    EpochIndexes indexes = new EpochIndexes(conf, rules, master, partials, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(List.of(1L), indexes.ensureThrough(1));

    // As import does: every record handed over while copied, file by file; the epoch committed; then indexed.
    EpochIndexes.ImportedEpoch imported = indexes.importing(2);
    for (int p = 0; p < second.length; p++) {
      imported.beginFile();
      for (int o = 0; o < second[p].length; o++) {
        byte[] line = second[p][o].getBytes(StandardCharsets.UTF_8);
        imported.add(p, o, line, 0, line.length);
      }
      imported.endFile();
    }
    writeEpoch(conf, master, 2, second);
    assertEquals(List.of(2L), indexes.ensureThrough(2, imported));
    List<String> ids = ids(partials, 2);
    List<String> skips = skips(conf, partials, 2);
    List<String> events = events(conf, partials, 2);
    byte[] idsFile = partials.fileSystem().open(new org.apache.hadoop.fs.Path(partials.indexDir(2), Partials.IDS_FILE))
        .readAllBytes();
    assertEquals(List.of("", "c", "d"), ids);
    assertEquals(List.of("0:1", "1:0", "1:1"), skips);
    assertEquals(2, events.size(), "one chunk of decisions per parsing batch: here one per master file");
    assertEquals(0, partials.fileSystem().listStatus(partials.tmpDir()).length, "nothing left behind");

    partials.fileSystem().delete(partials.indexDir(2), true);
    assertEquals(List.of(2L), indexes.ensureThrough(2));
    assertEquals(ids, ids(partials, 2));
    assertEquals(skips, skips(conf, partials, 2));
    assertEquals(events, events(conf, partials, 2), "the same projected events, chunk by chunk");
    assertArrayEquals(idsFile, partials.fileSystem().open(
        new org.apache.hadoop.fs.Path(partials.indexDir(2), Partials.IDS_FILE)).readAllBytes());
  }
}
