package org.lambdadist.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.core.testing.ClickstreamViews;
import org.lambdadist.storage.settings.LambdaSettings;

/** The shipped sensors example (conf/examples/sensors) gives its independently computed answer. */
class SensorsExampleIT {
  @Test
  void averagesPerSensorPerDayAndPerMinute(@TempDir Path tmp) throws Exception {
    Path example = ClickstreamViews.confDir().resolve("examples/sensors");
    Configuration conf = LambdaSettings.create();
    conf.set("fs.defaultFS", "file:///");
    conf.set("lambda.root", tmp.resolve("root").toUri().toString());
    conf.set("lambda.views.file", example.resolve("views.json").toString());
    BatchHarness batch = new BatchHarness(conf);
    assertEquals(0, batch.importFiles(example.resolve("readings.jsonl").toString()).exitCode());
    BatchHarness.Run r = batch.aggregate();
    assertEquals(0, r.exitCode(), r.err());
    // "n/a" is a bad value for each of avg, min and max: counted once per metric.
    assertTrue(r.err().matches("(?s).*bad metric values\\s+3\\b.*"), r.err());
    ObjectMapper json = new ObjectMapper();
    for (String g : List.of("day", "minute")) {
      Path out = tmp.resolve(g + ".jsonl");
      assertEquals(0, batch.export("--view", "sensor_temperature", "--granularity", g, "--output", out.toString()).exitCode());
      List<String> actual = Files.readAllLines(out);
      List<String> expected = Files.readAllLines(example.resolve("expected-" + g + ".jsonl"));
      assertEquals(expected.size(), actual.size());
      for (int i = 0; i < expected.size(); i++) {
        JsonNode e = json.readTree(expected.get(i));
        JsonNode a = json.readTree(actual.get(i));
        assertEquals(e.get("bucket"), a.get("bucket"));
        assertEquals(e.get("key"), a.get("key"));
        e.get("metrics").fields().forEachRemaining(m -> {
          JsonNode av = a.get("metrics").get(m.getKey());
          if (m.getValue().isNull()) {
            assertTrue(av.isNull(), m.getKey());
          } else {
            assertEquals(m.getValue().asDouble(), av.asDouble(), 1e-9, actual.toString());
          }
        });
      }
    }
  }
}
