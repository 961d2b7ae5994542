package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lambdadist.core.testing.ViewOracle;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/** Every row of the newest batch version, through {@code export}, keyed like the oracle's. */
final class BatchExports {
  private BatchExports() {}

  static Map<String, ViewOracle.Row> all(BatchHarness batch, ViewCatalog catalog, Path tmp) throws Exception {
    Map<String, ViewOracle.Row> all = new TreeMap<>();
    for (ViewDefinition v : catalog.views()) {
      for (Granularity g : v.granularities()) {
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(
            tmp.resolve("export-" + System.nanoTime() + ".jsonl").toUri());
        BatchHarness.Run r = batch.export("--view", v.name(), "--granularity", g.label(), "--output", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = batch.readLines(out);
        all.putAll(BatchHarness.parseExport(lines));
      }
    }
    return all;
  }
}
