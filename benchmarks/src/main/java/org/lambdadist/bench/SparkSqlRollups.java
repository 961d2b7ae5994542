package org.lambdadist.bench;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark SQL peer of the batch benchmark: the work of {@code lambda batch aggregate} with
 * {@code conf/examples/bench/views.json}, written as a Spark user would write it.
 *
 * <p>Reads JSON lines with an explicit schema (no inference; {@code PERMISSIVE}, so a malformed
 * line becomes a row of nulls and is dropped by the filters), keeps clicks and conversions with an
 * {@code event_id} and a parseable timestamp (ISO-8601, or integer epoch millis as the generator
 * also writes), drops duplicate {@code event_id}s, caches that frame, and writes two rollups by
 * campaign and channel (per UTC minute and per UTC day: count, sum, min, max and avg of
 * {@code revenue}, approximate distinct {@code user_id}) as JSON under {@code --output}.
 *
 * <p>Standard output: one line per rollup with its row count, then, last, the timing line
 * {@code spark-sql: <lines> lines in <s> s = <n> lines/s (session start <s> s)}. The time runs
 * from before the {@link SparkSession} is created to after both writes; the input's lines are
 * counted before that. Exit codes: 0 done, 1 Spark failed, 2 bad arguments or no input file.
 */
public final class SparkSqlRollups {
  private SparkSqlRollups() {}

  static final String USAGE =
      "usage: SparkSqlRollups --input FILE.jsonl --output DIR [--master local[2]]";

  /** The fields the rollups use, typed up front: Spark never samples the input. */
  static final StructType SCHEMA = new StructType()
      .add("timestamp", DataTypes.StringType)
      .add("event_id", DataTypes.StringType)
      .add("type", DataTypes.StringType)
      .add("user_id", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("campaign", DataTypes.StringType)
      .add("revenue", DataTypes.DoubleType);

  /** The row counts of the two written rollups. */
  record Result(long minuteRows, long dayRows) {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The whole program without {@code System.exit}: its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String input = null;
    String output = null;
    String master = "local[2]";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.equals("--input") && !a.equals("--output") && !a.equals("--master")) {
        err.println("spark-sql-rollups: unknown argument " + a + "; " + USAGE);
        return 2;
      }
      if (i + 1 >= args.length) {
        err.println("spark-sql-rollups: " + a + " needs a value; " + USAGE);
        return 2;
      }
      String v = args[++i];
      switch (a) {
        case "--input" -> input = v;
        case "--output" -> output = v;
        default -> master = v;
      }
    }
    if (input == null || output == null) {
      err.println("spark-sql-rollups: --input and --output are required; " + USAGE);
      return 2;
    }
    Path in = Paths.get(input).toAbsolutePath();
    if (!Files.isRegularFile(in)) {
      err.println("spark-sql-rollups: no such input file: " + input);
      return 2;
    }
    long lines;
    try {
      lines = countLines(in);
    } catch (IOException e) {
      err.println("spark-sql-rollups: cannot read " + input + ": " + e.getMessage());
      return 2;
    }
    String outDir = Paths.get(output).toAbsolutePath().toString();

    long start = System.nanoTime();
    SparkSession spark = null;
    Result result;
    long sessionReady;
    long done;
    try {
      spark = session(master);
      sessionReady = System.nanoTime();
      result = rollups(spark, in.toString(), outDir);
      done = System.nanoTime();
    } catch (RuntimeException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println("spark-sql-rollups: failed: " + e);
      e.printStackTrace(err);
      return 1;
    } finally {
      if (spark != null) {
        spark.stop();
      }
    }
    double seconds = (done - start) / 1e9;
    double session = (sessionReady - start) / 1e9;
    out.println("minute rollup: " + result.minuteRows() + " rows");
    out.println("day rollup: " + result.dayRows() + " rows");
    out.println(String.format(Locale.ROOT, "spark-sql: %d lines in %.2f s = %d lines/s (session start %.2f s)",
        lines, seconds, Math.round(lines / seconds), session));
    out.flush();
    return 0;
  }

  /** A session as a Spark user on a 2-core machine would configure it. */
  static SparkSession session(String master) {
    SparkSession spark = SparkSession.builder()
        .appName("spark-sql-rollups")
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        // A few shuffle partitions per core, not the default 200.
        .config("spark.sql.shuffle.partitions", "4")
        // Splits of 32 MB rather than 128 MB: a 300 MB input becomes ~10 tasks, which 2 cores
        // share evenly, instead of 3 (two rounds, the second on one core).
        .config("spark.sql.files.maxPartitionBytes", "32m")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Reads {@code input}, writes {@code output}/minute and {@code output}/day (overwriting). */
  static Result rollups(SparkSession spark, String input, String output) throws InterruptedException {
    Dataset<Row> raw = spark.read()
        .schema(SCHEMA)
        .option("mode", "PERMISSIVE")
        .json(input);

    // ISO-8601 text, or integer epoch millis (the generator writes some as a JSON number, which
    // a string field holds as its text).
    Column text = col("timestamp");
    Column ts = when(text.rlike("^-?[0-9]{1,18}$"), timestamp_millis(text.cast(DataTypes.LongType)))
        .otherwise(to_timestamp(text));

    Dataset<Row> events = raw
        .filter(col("type").isin("click", "conversion"))
        .withColumn("ts", ts)
        .filter(col("event_id").isNotNull().and(col("ts").isNotNull()))
        .select("event_id", "ts", "user_id", "channel", "campaign", "revenue")
        .dropDuplicates("event_id")
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Observation minuteRows = new Observation("minute_rows");
      Observation dayRows = new Observation("day_rows");
      rollup(events, "minute").observe(minuteRows, count(lit(1)).as("rows"))
          .write().mode(SaveMode.Overwrite).json(output + "/minute");
      rollup(events, "day").observe(dayRows, count(lit(1)).as("rows"))
          .write().mode(SaveMode.Overwrite).json(output + "/day");
      return new Result(rows(minuteRows), rows(dayRows));
    } finally {
      events.unpersist(false);
    }
  }

  /** The view's metrics by campaign and channel per {@code unit} ("minute" or "day", UTC). */
  static Dataset<Row> rollup(Dataset<Row> events, String unit) {
    return events
        .groupBy(date_trunc(unit, col("ts")).as(unit), col("campaign"), col("channel"))
        .agg(count(lit(1)).as("events"),
            sum("revenue").as("revenue"),
            min("revenue").as("min_revenue"),
            max("revenue").as("max_revenue"),
            avg("revenue").as("avg_revenue"),
            approx_count_distinct("user_id").as("users"));
  }

  private static long rows(Observation o) throws InterruptedException {
    return ((Number) o.getAsJava().get("rows")).longValue();
  }

  /** The number of lines: the '\n' bytes, plus one for a last line without one. */
  static long countLines(Path file) throws IOException {
    long lines = 0;
    int last = '\n';
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        int n = buf.limit();
        for (int i = 0; i < n; i++) {
          if (buf.get(i) == '\n') {
            lines++;
          }
        }
        if (n > 0) {
          last = buf.get(n - 1);
        }
        buf.clear();
      }
    }
    return last == '\n' ? lines : lines + 1;
  }
}
