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
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The batch path on a real HDFS (one MiniDFSCluster for the class): input, master dataset,
 * batch views and exports all live in HDFS, jobs run in the LocalJobRunner against it, and the
 * answer equals the oracle; and {@code aggregate} submitted to a real YARN
 * ({@code MiniMRYarnCluster}: the YARN runner, the job jar shipped to containers in JVMs of
 * their own) writes exactly the files of the local run.
 */
class MiniDfsIT {
  private static MiniDFSCluster cluster;
  private static Configuration conf;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration base = LambdaSettings.create();
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
    // The epoch's partial rows are left to aggregate's job here, to see it run on HDFS (the
    // YARN test below has import compute them, then the job recompute them with --full).
    Configuration byJob = new Configuration(conf);
    byJob.setBoolean("lambda.import.partial-rows", false);
    BatchHarness batch = new BatchHarness(byJob);
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
    assertTrue(fs.exists(new Path("/lambda/master/_SUCCESS")), "the master dataset's done-flag (Oozie's input dataset)");
    r = batch.aggregate();
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(java.util.regex.Pattern.compile("(?m)^job job_local\\d+_\\d+ \\(lambda aggregate: partial rows of epochs 1\\): "
        + "running in the local job runner \\(no tracking URL\\)$").matcher(r.err()).find(), r.err());
    assertTrue(java.util.regex.Pattern.compile("(?m)^job job_local\\d+_\\d+: map 100% reduce 100%$").matcher(r.err()).find(), r.err());

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

  @Test
  void aggregateOnYarnWritesExactlyTheFilesOfTheLocalRun() throws Exception {
    Configuration local = new Configuration(conf);
    local.set("lambda.root", "/lambda-yarn");
    BatchHarness batch = new BatchHarness(local);
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(4_000, 22)).forEachRemaining(lines::add);
    batch.write(new Path("/in/yarn.jsonl"), lines.iterator());
    BatchHarness.Run r = batch.importFiles("/in/yarn.jsonl");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("partial rows of epoch 1"), "import computed the rows on HDFS: " + r.err());
    r = batch.aggregate("--output", "/out/views-local");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("partials computed for 0 epoch(s) none, reused for 1"), r.err());

    java.nio.file.Path jobJar = java.nio.file.Paths.get(System.getProperty("user.dir")).getParent()
        .resolve("batch-layer/target/batch-layer-job.jar");
    assertTrue(java.nio.file.Files.isRegularFile(jobJar), "the job jar is built before the integration tests: " + jobJar);
    org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster yarn = new org.apache.hadoop.mapreduce.v2.MiniMRYarnCluster("lambda-yarn", 1);
    try {
      Configuration yarnConf = new Configuration(conf);
      yarnConf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
      yarnConf.setInt("mapreduce.map.memory.mb", 512);
      yarnConf.setInt("mapreduce.reduce.memory.mb", 512);
      yarnConf.setInt("yarn.app.mapreduce.am.resource.mb", 512);
      yarnConf.set("mapreduce.map.java.opts", "-Xmx384m");
      yarnConf.set("mapreduce.reduce.java.opts", "-Xmx384m");
      yarnConf.set("yarn.app.mapreduce.am.command-opts", "-Xmx384m " + System.getProperty("lambda.jvm.flags", ""));
      yarn.init(yarnConf);
      yarn.start();
      Configuration onYarn = new Configuration(yarn.getConfig());
      assertEquals("yarn", onYarn.get("mapreduce.framework.name"));
      onYarn.set("lambda.root", "/lambda-yarn");
      onYarn.set("lambda.views.file", conf.get("lambda.views.file"));
      // As `hadoop jar batch-layer-job.jar aggregate` does: the job jar goes to the containers.
      onYarn.set("mapreduce.job.jar", jobJar.toString());
      // --full: the partials import computed in process must be recomputed by YARN, not reused;
      // the job's rows are the same bytes.
      r = new BatchHarness(onYarn).aggregate("--output", "/out/views-yarn", "--full");
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(yarn.getResourceManager().getRMContext().getRMApps().size() >= 1,
          "the partial rows job of aggregate ran as a YARN application");
      // As hadoop jar users expect: the job id, the application's tracking URL, progress while it runs.
      java.util.regex.Matcher submitted = java.util.regex.Pattern
          .compile("(?m)^job (job_\\d+_\\d+) \\(lambda aggregate: [^)]*\\): tracking URL (http://\\S+)$").matcher(r.err());
      assertTrue(submitted.find(), r.err());
      String id = submitted.group(1);
      assertTrue(submitted.group(2).contains(id.replace("job_", "application_")), "the application's page: " + r.err());
      assertTrue(java.util.regex.Pattern.compile("(?m)^job " + id + ": map \\d+% reduce \\d+%$").matcher(r.err()).find(), r.err());
      assertTrue(r.err().contains("job " + id + ": map 100% reduce 100%") && r.err().contains("job " + id + " succeeded in "), r.err());
    } finally {
      yarn.stop();
    }

    FileSystem fs = FileSystem.get(conf);
    List<String> localFiles = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(new Path("/out/views-local"))) {
      if (st.getPath().getName().startsWith("part-r-")) {
        localFiles.add(st.getPath().getName());
      }
    }
    assertTrue(localFiles.size() >= 2, localFiles.toString());
    for (String name : localFiles) {
      byte[] a = readAll(fs, new Path("/out/views-local/" + name));
      byte[] b = readAll(fs, new Path("/out/views-yarn/" + name));
      assertTrue(java.util.Arrays.equals(a, b), name + " differs between the local and the YARN run");
    }
    assertEquals(sortedLines(fs, new Path("/out/views-local/quarantine")), sortedLines(fs, new Path("/out/views-yarn/quarantine")));
    for (String view : List.of("campaign_traffic", "page_traffic")) {
      BatchHarness.Run a = batch.export("--view", view, "--granularity", "minute", "--input", "/out/views-local",
          "--output", "/out/" + view + "-local.jsonl");
      BatchHarness.Run b = batch.export("--view", view, "--granularity", "minute", "--input", "/out/views-yarn",
          "--output", "/out/" + view + "-yarn.jsonl");
      assertEquals(0, a.exitCode() + b.exitCode(), a.err() + b.err());
      assertEquals(batch.readLines(new Path("/out/" + view + "-local.jsonl")), batch.readLines(new Path("/out/" + view + "-yarn.jsonl")));
    }
  }

  private static byte[] readAll(FileSystem fs, Path p) throws java.io.IOException {
    try (java.io.InputStream in = fs.open(p)) {
      return in.readAllBytes();
    }
  }

  private static List<String> sortedLines(FileSystem fs, Path dir) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
      out.addAll(java.util.Arrays.asList(new String(readAll(fs, st.getPath()), StandardCharsets.UTF_8).split("\n")));
    }
    java.util.Collections.sort(out);
    return out;
  }
}
