package org.lambdadist.storage.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.UserError;

/** The one bootstrap: defaults from the one resource, later sources win, the one views lookup. */
class LambdaSettingsTest {
  @TempDir
  Path dir;

  @Test
  void defaultsComeFromTheOneResourceAndAnySettingWins() {
    Configuration conf = LambdaSettings.create();
    assertEquals("./lambda-data", LambdaSettings.get(conf, LambdaKeys.ROOT));
    assertEquals(2_000, LambdaSettings.getMillis(conf, LambdaKeys.SPEED_INTERVAL));
    assertEquals(65_536, LambdaSettings.getInt(conf, LambdaKeys.EVENT_MAX_BYTES));
    conf.set(LambdaKeys.SPEED_INTERVAL, "1m");
    assertEquals(60_000, LambdaSettings.getMillis(conf, LambdaKeys.SPEED_INTERVAL));
    // A configuration that never loaded the resource still gets the documented default.
    Configuration bare = new Configuration(false);
    assertEquals(10_080, LambdaSettings.getInt(bare, LambdaKeys.SERVING_MAX_BUCKETS));
    bare.set(LambdaKeys.SERVING_MAX_BUCKETS, "ten");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LambdaSettings.getInt(bare, LambdaKeys.SERVING_MAX_BUCKETS));
    assertTrue(e.getMessage().contains(LambdaKeys.SERVING_MAX_BUCKETS), e.getMessage());
    bare.set(LambdaKeys.SPEED_INTERVAL, "soon");
    assertThrows(IllegalArgumentException.class, () -> LambdaSettings.getMillis(bare, LambdaKeys.SPEED_INTERVAL));
    assertEquals(1024, LambdaSettings.eventLimits(conf).maxValueBytes());
  }

  @Test
  void effectiveSettingsSayWhereEachValueCameFrom() {
    Configuration conf = LambdaSettings.create();
    conf.set(LambdaKeys.KAFKA_TOPIC, "clicks", "command line");
    conf.set("lambda.custom.thing", "x", "command line");
    Map<String, EffectiveSettings.Setting> all = EffectiveSettings.of(conf, List.of("fs.defaultFS")).stream()
        .collect(Collectors.toMap(EffectiveSettings.Setting::key, s -> s));
    assertEquals("clicks", all.get(LambdaKeys.KAFKA_TOPIC).value());
    assertEquals("events", all.get(LambdaKeys.KAFKA_TOPIC).defaultValue());
    assertEquals("command line", all.get(LambdaKeys.KAFKA_TOPIC).source());
    assertEquals("lambda-default.xml", all.get(LambdaKeys.ROOT).source());
    assertTrue(all.get(LambdaKeys.ROOT).description().contains("master"), all.get(LambdaKeys.ROOT).description());
    assertEquals("x", all.get("lambda.custom.thing").value());
    assertNull(all.get("lambda.custom.thing").defaultValue());
    assertEquals("core-default.xml", all.get("fs.defaultFS").source());
  }

  @Test
  void theViewsFileIsFoundOneWay() throws Exception {
    Configuration conf = LambdaSettings.create();
    Path views = dir.resolve("v.json");
    Files.writeString(views, "{\"views\":[{\"name\":\"n\",\"granularities\":[\"day\"],"
        + "\"metrics\":[{\"name\":\"c\",\"type\":\"count\"}]}]}");
    conf.set(LambdaKeys.VIEWS_FILE, views.toString());
    assertEquals(views.toString(), LambdaSettings.findViews(conf).source());
    assertEquals("n", LambdaSettings.loadViews(conf).views().get(0).name());
    conf.set(LambdaKeys.VIEWS_FILE, views.toUri().toString()); // with a scheme: through Hadoop's file system
    assertEquals("n", LambdaSettings.loadViews(conf).views().get(0).name());
    conf.set(LambdaKeys.VIEWS_FILE, dir.resolve("absent.json").toString());
    assertNull(LambdaSettings.findViews(conf));
    UserError missing = assertThrows(UserError.class, () -> LambdaSettings.loadViews(conf));
    assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
    Files.writeString(views, "{\"views\":[]}");
    conf.set(LambdaKeys.VIEWS_FILE, views.toString());
    UserError bad = assertThrows(UserError.class, () -> LambdaSettings.loadViews(conf));
    assertTrue(bad.getMessage().contains("non-empty"), bad.getMessage());
  }
}
