package org.lambdadist.batch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.config.LambdaDefaults;
import org.lambdadist.storage.settings.LambdaSettings;

/** {@code lambda config}: every documented key, its effective value and its source. */
class ConfigToolTest {
  private String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ToolRunner.run(LambdaSettings.create(),
        new ConfigTool().withOut(new PrintStream(out, true, StandardCharsets.UTF_8)), args);
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEveryKeyWithItsValueAndSource() throws Exception {
    String text = run("-D", "lambda.kafka.topic=clicks", "--describe");
    for (String key : LambdaDefaults.all().keySet()) {
      assertTrue(text.contains(key), key + " in:\n" + text);
    }
    assertTrue(text.lines().anyMatch(l -> l.startsWith("lambda.kafka.topic") && l.contains("clicks")
        && l.contains("command line")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("lambda.root ") && l.contains("./lambda-data")
        && l.contains("lambda-default.xml")), text);
  }

  @Test
  void jsonForMachinesWithExtraKeysOnRequest() throws Exception {
    JsonNode json = new ObjectMapper().readTree(run("--json", "-D", "lambda.root=/data", "fs.defaultFS"));
    assertEquals("/data", json.get("lambda.root").get("value").asText());
    assertEquals("./lambda-data", json.get("lambda.root").get("default").asText());
    assertTrue(json.has("fs.defaultFS"), json.toString());
    assertEquals(LambdaDefaults.all().size() + 1, json.size(), json.toString());
  }
}
