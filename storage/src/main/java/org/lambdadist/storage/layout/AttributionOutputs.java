package org.lambdadist.storage.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.core.attribution.AttributionRow;

/**
 * The attribution outputs under the root: {@code attribution/<version>/part-*}, JSON lines of
 * {@link AttributionRow}, one directory per batch version, committed by {@code _SUCCESS}.
 * Written by {@code attribute}; read by {@code load} and {@code export}.
 */
public final class AttributionOutputs {
  private AttributionOutputs() {}

  /** The output directory of a batch version's attribution. */
  public static Path dir(Configuration conf, Path root, String version) throws IOException {
    return root.getFileSystem(conf).makeQualified(new DataLayout(root).attributionVersion(version));
  }

  /** The rows of one model (or all, with {@code model} null) in an attribution output directory. */
  public static List<AttributionRow> readRows(FileSystem fs, Path dir, String model) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<AttributionRow> rows = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode n = mapper.readTree(line);
          if (model == null || n.get("model").asText().equals(model)) {
            rows.add(new AttributionRow(n.get("model").asText(), n.get("day").asText(), n.get("channel").asText(),
                n.get("campaign").isNull() ? null : n.get("campaign").asText(),
                n.get("conversions").asDouble(), n.get("revenue").asDouble()));
          }
        }
      }
    }
    return rows;
  }
}
