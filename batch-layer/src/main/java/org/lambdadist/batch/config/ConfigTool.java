package org.lambdadist.batch.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.settings.EffectiveSettings;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code config [--json] [--describe] [KEY …]}: prints every {@code lambda.*} setting (and the
 * keys named) with its effective value and where it came from ({@code lambda-default.xml},
 * {@code lambda-site.xml}, the command line…), as every entry point would see it.
 */
public final class ConfigTool extends LambdaTool {
  public static final String NAME = "config";
  private PrintStream out = System.out;

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ConfigTool(), args));
  }

  /** Where the settings are printed (stdout by default; a seam for tests). */
  public ConfigTool withOut(PrintStream stream) {
    this.out = stream;
    return this;
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "config [generic options] [--json] [--describe] [KEY ...]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(null, "json", false, "one JSON object: key -> {value, default, source}")
        .addOption(null, "describe", false, "add each setting's documentation");
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    List<EffectiveSettings.Setting> settings = EffectiveSettings.of(getConf(), cmd.getArgList());
    if (cmd.hasOption("json")) {
      try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        for (EffectiveSettings.Setting s : settings) {
          json.writeObjectFieldStart(s.key());
          json.writeStringField("value", s.value());
          json.writeStringField("default", s.defaultValue());
          json.writeStringField("source", s.source());
          if (cmd.hasOption("describe")) {
            json.writeStringField("description", s.description());
          }
          json.writeEndObject();
        }
        json.writeEndObject();
      }
      out.println();
      return 0;
    }
    int width = settings.stream().mapToInt(s -> s.key().length()).max().orElse(10);
    for (EffectiveSettings.Setting s : settings) {
      String value = s.value() == null ? "(unset)" : s.value().isEmpty() ? "(empty)" : s.value();
      out.printf("%-" + width + "s  %s  [%s]%n", s.key(), value, s.source());
      if (cmd.hasOption("describe") && !s.description().isEmpty()) {
        out.println("    " + s.description());
      }
    }
    out.flush();
    return 0;
  }
}
