package org.lambdadist.batch;

import java.io.PrintStream;
import java.util.Arrays;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.UserError;

/**
 * The shape of every batch tool: options parsed with commons-cli after ToolRunner has taken
 * the generic options; a {@link UserError} ends the tool with one clear message on stderr and
 * exit code 1 (2 for a usage error); any other exception is a bug and propagates with its
 * stack trace.
 */
public abstract class LambdaTool extends Configured implements Tool {
  /** Where tools report progress and errors; stdout is kept for data ({@code export -}). */
  protected PrintStream err = System.err;

  /** Sends progress and error messages to {@code stream} instead of stderr (for tests). */
  public LambdaTool withErr(PrintStream stream) {
    this.err = stream;
    return this;
  }

  protected abstract String name();

  protected abstract String usage();

  /** The tool's options; none by default. */
  protected Options options() {
    return new Options();
  }

  protected abstract int execute(CommandLine cmd) throws Exception;

  /**
   * Parses a command line (after the generic options) as this tool would, without running it:
   * for schedulers' definitions (Oozie actions, cron lines) checked in tests.
   *
   * @throws ParseException when the tool would refuse {@code args} as a usage error
   */
  public final CommandLine parse(String[] args) throws ParseException {
    return new DefaultParser().parse(optionsWithHelp(), args, false);
  }

  private Options optionsWithHelp() {
    return options().addOption("h", "help", false, "show this help");
  }

  @Override
  public final int run(String[] args) throws Exception {
    if (getConf() == null) {
      setConf(LambdaSettings.create());
    }
    org.lambdadist.batch.localfs.ForklessLocalFileSystem.useFor(getConf());
    CommandLine cmd;
    Options options = optionsWithHelp();
    try {
      cmd = new DefaultParser().parse(options, LambdaSettings.takeLateSettings(getConf(), args), false);
    } catch (ParseException | UserError e) {
      err.println("lambda " + name() + ": " + e.getMessage());
      printUsage(options);
      return 2;
    }
    if (cmd.hasOption("help")) {
      printUsage(options);
      return 0;
    }
    try {
      return execute(cmd);
    } catch (org.lambdadist.storage.hbase.WriterLease.LostException e) {
      // Fenced: another writer took over; this one committed nothing more.
      err.println("lambda " + name() + ": error: " + e.getMessage());
      return 1;
    } catch (UserError e) {
      err.println("lambda " + name() + ": error: " + e.getMessage());
      if (e.isUsage()) {
        printUsage(options);
        return 2;
      }
      return 1;
    }
  }

  private void printUsage(Options options) {
    HelpFormatter help = new HelpFormatter();
    java.io.PrintWriter w = new java.io.PrintWriter(err, true);
    help.printHelp(w, 100, "lambda batch " + usage(), null, options, 2, 2,
        "Generic options (-D key=value, -conf FILE, -fs URI, -jt ADDR) go right after the tool name.", false);
    w.flush();
  }

  /** A long option value, or a usage error naming the option. */
  protected static long longOption(CommandLine cmd, String name, long dflt) throws UserError {
    String v = cmd.getOptionValue(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw UserError.usage("--" + name + " must be an integer, got '" + v + "'");
    }
  }

  /** Fails when positional arguments are given to a tool that takes none. */
  protected static void noArguments(CommandLine cmd) throws UserError {
    if (!cmd.getArgList().isEmpty()) {
      throw UserError.usage("unexpected arguments " + Arrays.toString(cmd.getArgs()));
    }
  }

  /** The system property in which Oozie's launcher names the file for an action's captured output. */
  public static final String OOZIE_OUTPUT_PROPERTIES = "oozie.action.output.properties";

  /**
   * Hands values to the next actions of an Oozie workflow ({@code <capture-output/>}:
   * {@code ${wf:actionData('step')['key']}}); does nothing outside Oozie.
   */
  protected static void captureForOozie(java.util.Map<String, String> values) throws java.io.IOException {
    String file = System.getProperty(OOZIE_OUTPUT_PROPERTIES);
    if (file == null) {
      return;
    }
    java.util.Properties p = new java.util.Properties();
    p.putAll(values);
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(java.nio.file.Paths.get(file))) {
      p.store(out, "lambda " + "batch");
    }
  }
}
