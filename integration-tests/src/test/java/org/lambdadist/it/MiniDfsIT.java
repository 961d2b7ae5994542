package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.view.ViewCatalog;

/**
 * The batch path on a real HDFS (one MiniDFSCluster for the class): input, master dataset,
 * batch views and exports all live in HDFS, jobs run in the LocalJobRunner against it, and the
 * answer equals the oracle.
 */
class MiniDfsIT {
  private static MiniDFSCluster cluster;
  private static Configuration conf;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration base = LambdaConfiguration.create();
    File dir = new File("target/minidfs-" + System.nanoTime()).getAbsoluteFile();
    base.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.getPath());
    cluster = new MiniDFSCluster.Builder(base, dir).numDataNodes(1).build();
    cluster.waitActive();
    conf = new Configuration(cluster.getConfiguration(0));
    conf.set("lambda.root", "/lambda");
    conf.set("lambda.views.file", ClickstreamViews.confDir().resolve("views.json").toString());
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void importAggregateExportOnHdfsEqualsTheOracle() throws Exception {
    BatchHarness batch = new BatchHarness(conf);
    FileSystem fs = FileSystem.get(conf);
    assertEquals("hdfs", fs.getUri().getScheme());
    ViewCatalog catalog = ClickstreamViews.catalog();
    ViewOracle oracle = new ViewOracle(catalog);
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(6_000, 21)).forEachRemaining(lines::add);
    lines.forEach(l -> oracle.accept(l.getBytes(StandardCharsets.UTF_8)));
    batch.write(new Path("/in/events.jsonl"), lines.iterator());

    BatchHarness.Run r = batch.importFiles("/in/events.jsonl");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(fs.exists(new Path("/lambda/master/epoch=1/_SUCCESS")));
    assertTrue(fs.exists(new Path("/lambda/master/epoch=1/_manifest.json")));
    r = batch.aggregate();
    assertEquals(0, r.exitCode(), r.err());

    r = batch.export("--view", "page_traffic", "--granularity", "minute", "--output", "/out/pages.jsonl");
    assertEquals(0, r.exitCode(), r.err());
    List<String> exported = batch.readLines(new Path("/out/pages.jsonl"));
    var expected = new java.util.TreeMap<String, ViewOracle.Row>();
    oracle.rows().forEach((id, row) -> {
      if (row.view().equals("page_traffic") && row.granularity().equals("minute")) {
        expected.put(id, row);
      }
    });
    assertTrue(expected.size() > 1000);
    assertEquals(List.of(), ViewOracle.differences(expected, BatchHarness.parseExport(exported), catalog, 0.05));
  }
}
