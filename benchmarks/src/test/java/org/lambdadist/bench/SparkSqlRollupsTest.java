package org.lambdadist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.event.Timestamps;
import org.lambdadist.core.generate.ClickstreamGenerator;

/** Runs the program in-process on {@code local[1]} over ~2,000 generated lines plus a few handwritten ones. */
class SparkSqlRollupsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rollsUpClicksAndConversionsOncePerEventId(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    new ClickstreamGenerator(ClickstreamGenerator.Settings.defaults(2_000, 11)).forEachRemaining(lines::add);
    String click = "{\"timestamp\":\"2026-11-02T10:15:42.123Z\",\"event_id\":\"dup-1\",\"type\":\"click\","
        + "\"user_id\":\"u-dup\",\"channel\":\"email\",\"campaign\":\"dup_test\",\"revenue\":2.5}";
    lines.add(click);
    lines.add("{\"timestamp\":\"2026-11-02T10:15:42.123Z\",\"event_id\":\"view-1\",\"type\":\"page_view\","
        + "\"user_id\":\"u-dup\",\"channel\":\"email\",\"campaign\":\"dup_test\"}");
    lines.add("{\"timestamp\":\"2026-11-02T10:16:00Z\",\"type\":\"click\",\"user_id\":\"u-dup");   // malformed
    lines.add(click);                                                                           // duplicate
    Path input = dir.resolve("input.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);

    // The oracle, computed without Spark: distinct event_ids of clicks and conversions with a timestamp.
    Set<String> ids = new HashSet<>();
    long clickLines = 0;
    double revenue = 0;
    for (String line : lines) {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        continue;
      }
      if (n == null || !n.isObject()) {
        continue;
      }
      String type = n.path("type").asText(null);
      JsonNode id = n.get("event_id");
      JsonNode ts = n.get("timestamp");
      if (!("click".equals(type) || "conversion".equals(type)) || id == null || !id.isTextual()
          || ts == null || !(ts.isTextual() || ts.isIntegralNumber())
          || Timestamps.parseText(ts.asText()) == Long.MIN_VALUE) {
        continue;
      }
      clickLines++;
      if (ids.add(id.asText()) && n.path("revenue").isNumber()) {
        revenue += n.path("revenue").asDouble();
      }
    }
    assertTrue(clickLines > ids.size(), "the input holds duplicate clicks or conversions");

    Path output = dir.resolve("out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = SparkSqlRollups.run(new String[] {"--input", input.toString(), "--output", output.toString(),
        "--master", "local[1]"}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));

    List<JsonNode> minute = readRows(output.resolve("minute"));
    List<JsonNode> day = readRows(output.resolve("day"));
    assertEquals(ids.size(), sum(day, "events"), "day rollup: one count per distinct event_id");
    assertEquals(ids.size(), sum(minute, "events"), "minute rollup: one count per distinct event_id");
    assertEquals(revenue, sumDouble(day, "revenue"), 1e-6);
    assertEquals(revenue, sumDouble(minute, "revenue"), 1e-6);

    JsonNode dupDay = only(day, "dup_test");
    assertEquals("2026-11-02T00:00:00.000Z", dupDay.path("day").asText());
    assertEquals(1, dupDay.path("events").asLong(), "the duplicated click is counted once");
    assertEquals(2.5, dupDay.path("revenue").asDouble(), 1e-9);
    assertEquals(1, dupDay.path("users").asLong());
    JsonNode dupMinute = only(minute, "dup_test");
    assertEquals("2026-11-02T10:15:00.000Z", dupMinute.path("minute").asText());
    assertEquals(1, dupMinute.path("events").asLong());

    String[] out = stdout.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(3, out.length, String.join("\n", out));
    assertEquals("minute rollup: " + minute.size() + " rows", out[0]);
    assertEquals("day rollup: " + day.size() + " rows", out[1]);
    assertTrue(out[2].matches("spark-sql: " + lines.size()
        + " lines in \\d+\\.\\d\\d s = \\d+ lines/s \\(session start \\d+\\.\\d\\d s\\)"), out[2]);
  }

  @Test
  void aMissingInputIsExitCodeTwo(@TempDir Path dir) {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = SparkSqlRollups.run(new String[] {"--input", dir.resolve("none.jsonl").toString(),
        "--output", dir.resolve("out").toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    String message = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("no such input file") && message.strip().lines().count() == 1, message);
  }

  private static List<JsonNode> readRows(Path dir) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    assertTrue(Files.exists(dir.resolve("_SUCCESS")), "written: " + dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode r : rows) {
      String key = r.path("minute").asText() + r.path("day").asText() + "|" + r.path("campaign").asText("")
          + "|" + r.path("channel").asText("");
      assertEquals(null, seen.put(key, 1), "one row per key: " + key);
    }
    return rows;
  }

  private static long sum(List<JsonNode> rows, String field) {
    return rows.stream().mapToLong(r -> r.path(field).asLong()).sum();
  }

  private static double sumDouble(List<JsonNode> rows, String field) {
    return rows.stream().mapToDouble(r -> r.path(field).asDouble(0)).sum();
  }

  private static JsonNode only(List<JsonNode> rows, String campaign) {
    List<JsonNode> matching = rows.stream().filter(r -> campaign.equals(r.path("campaign").asText(null))).toList();
    assertEquals(1, matching.size(), "rows of campaign " + campaign + ": " + matching);
    return matching.get(0);
  }
}
