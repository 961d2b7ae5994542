package org.lambdadist.storage.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaDefaults;

/**
 * What {@code lambda config} prints: every {@code lambda.*} setting (and any other key asked
 * for) with its effective value, its default and where the value came from, as Hadoop's
 * {@code Configuration.dumpConfiguration} and Oryx's {@code ConfigUtils.prettyPrint} do.
 */
public final class EffectiveSettings {
  /** One setting: its key, effective value, documented default (null when it has none) and source. */
  public record Setting(String key, String value, String defaultValue, String source, String description) {}

  private EffectiveSettings() {}

  /** The documented keys, then any other {@code lambda.*} key set, then {@code extraKeys}. */
  public static List<Setting> of(Configuration conf, List<String> extraKeys) {
    Map<String, Setting> out = new TreeMap<>();
    for (String key : LambdaDefaults.all().keySet()) {
      out.put(key, setting(conf, key));
    }
    for (Map.Entry<String, String> e : conf) {
      if (e.getKey().startsWith("lambda.") && !e.getKey().startsWith("lambda.internal.")) {
        out.putIfAbsent(e.getKey(), setting(conf, e.getKey()));
      }
    }
    for (String key : extraKeys) {
      out.putIfAbsent(key, setting(conf, key));
    }
    return new ArrayList<>(out.values());
  }

  private static Setting setting(Configuration conf, String key) {
    String dflt = LambdaDefaults.all().get(key);
    String value = conf.get(key);
    String source;
    if (value == null) {
      value = dflt;
      source = dflt == null ? "unset" : LambdaDefaults.RESOURCE;
    } else {
      String[] sources = conf.getPropertySources(key);
      source = sources == null || sources.length == 0 ? "programmatic" : sources[sources.length - 1];
      if (source.equals("programmatically")) {
        source = "command line (-D) or the program";
      }
    }
    return new Setting(key, value, dflt, source, LambdaDefaults.description(key));
  }
}
