package org.lambdadist.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.batch.aggregate.AggregateTool;
import org.lambdadist.batch.export.ExportTool;
import org.lambdadist.batch.master.ImportTool;
import org.lambdadist.core.testing.ViewOracle;

/** Runs the batch tools in-process, as {@code hadoop jar} would, and reads their outputs. */
final class BatchHarness {
  /** One tool run: its exit code and what it printed on stderr. */
  record Run(int exitCode, String err) {}

  private final Configuration conf;
  /** A clock that moves one second per reading, so version names never collide. */
  private final Clock clock;

  BatchHarness(Configuration conf) {
    this.conf = conf;
    AtomicLong seconds = new AtomicLong(Instant.parse("2026-11-24T00:00:00Z").getEpochSecond());
    this.clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(seconds.getAndIncrement());
      }
    };
  }

  Configuration conf() {
    return conf;
  }

  Run run(LambdaTool tool, String... args) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    tool.withErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = ToolRunner.run(new Configuration(conf), tool, args);
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  Run importFiles(String... paths) throws Exception {
    return run(new ImportTool(clock), paths);
  }

  Run aggregate(String... args) throws Exception {
    return run(new AggregateTool(clock), args);
  }

  Run export(String... args) throws Exception {
    return run(new ExportTool(), args);
  }

  Run load(String... args) throws Exception {
    return run(new org.lambdadist.batch.load.LoadTool(clock), args);
  }

  Run rollback() throws Exception {
    return run(new org.lambdadist.batch.load.RollbackTool(clock));
  }

  /** Writes lines to a file on the configured file system. */
  void write(Path path, Iterator<String> lines) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    try (var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(fs.create(path, false), StandardCharsets.UTF_8))) {
      while (lines.hasNext()) {
        out.write(lines.next());
        out.write('\n');
      }
    }
  }

  List<String> readLines(Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream in = fs.open(path)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      for (String l : text.split("\n")) {
        if (!l.isEmpty()) {
          lines.add(l);
        }
      }
      return lines;
    }
  }

  /** Parses exported JSON lines into oracle rows (Long for integers, Double for other numbers). */
  static Map<String, ViewOracle.Row> parseExport(List<String> lines) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, ViewOracle.Row> rows = new LinkedHashMap<>();
    for (String line : lines) {
      JsonNode n = mapper.readTree(line);
      List<String> key = new ArrayList<>();
      n.get("key").elements().forEachRemaining(v -> key.add(v.isNull() ? null : v.asText()));
      Map<String, Object> metrics = new LinkedHashMap<>();
      n.get("metrics").fields().forEachRemaining(e -> {
        JsonNode v = e.getValue();
        metrics.put(e.getKey(), v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.asDouble());
      });
      ViewOracle.Row row = new ViewOracle.Row(n.get("view").asText(), n.get("granularity").asText(),
          n.get("bucket").asText(), key, metrics);
      if (rows.put(row.id(), row) != null) {
        throw new IllegalStateException("row exported twice: " + row.id());
      }
    }
    return rows;
  }
}
