package org.lambdadist.storage.hbase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;

/**
 * The last batch cycle's report, one row ({@code cycle}) of the meta table: written by the
 * cycle (which holds the batch lease, so by one writer at a time) at its start, after each
 * step and at its end, each time replacing the whole row in one row mutation; read by
 * {@code lambda status} and by metrics exporters through {@link #lastCycle()}.
 *
 * <p>Columns (family {@code m}, UTF-8 text): {@code started_at}, {@code finished_at} (ISO-8601
 * instants; no {@code finished_at} while running), {@code result} ({@code running}, {@code ok},
 * {@code failed}), {@code failed_step}, {@code message}, {@code steps} (a JSON array of
 * {@code {"name":…,"millis":…}} in step order), {@code epochs_computed}, {@code epochs_reused},
 * {@code version}. A value absent in the report is an empty column.
 */
public final class CycleStore {
  /** Longest message kept: a failing step's error line, not its whole log. */
  static final int MAX_MESSAGE_CHARS = 2000;

  private static final byte[] ROW = HBaseSchema.bytes("cycle");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<CycleReport.StepTime>> STEPS = new TypeReference<>() {};

  private final Connection connection;
  private final HBaseSchema schema;

  public CycleStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** Replaces the recorded cycle with {@code report} (one put of every column: never half of each). */
  public void record(CycleReport report) throws IOException {
    Put put = new Put(ROW);
    set(put, "started_at", report.startedAt().toString());
    set(put, "finished_at", report.finishedAt() == null ? null : report.finishedAt().toString());
    set(put, "result", report.result().label());
    set(put, "failed_step", report.failedStep());
    String message = report.message();
    set(put, "message", message == null || message.length() <= MAX_MESSAGE_CHARS ? message
        : message.substring(0, MAX_MESSAGE_CHARS) + "…");
    set(put, "steps", JSON.writeValueAsString(report.steps()));
    set(put, "epochs_computed", report.epochsComputed() == null ? null : report.epochsComputed().toString());
    set(put, "epochs_reused", report.epochsReused() == null ? null : report.epochsReused().toString());
    set(put, "version", report.version());
    try (Table meta = connection.getTable(schema.meta())) {
      meta.put(put); // one row's put: atomic, never half of each report
    }
  }

  /**
   * The last recorded cycle: the one running now (result running), or else the last that
   * ended; empty when no cycle ever ran against this namespace.
   *
   * @throws IOException when HBase cannot be read, or the row is not a report this store wrote
   */
  public Optional<CycleReport> lastCycle() throws IOException {
    Result r;
    try (Table meta = connection.getTable(schema.meta())) {
      r = meta.get(new Get(ROW).addFamily(HBaseSchema.META_FAMILY));
    }
    String started = text(r, "started_at");
    if (started == null) {
      return Optional.empty();
    }
    String result = text(r, "result");
    if (result == null) {
      throw new IOException("the meta table's cycle row of " + schema.meta() + " has no result");
    }
    try {
      String finished = text(r, "finished_at");
      String steps = text(r, "steps");
      return Optional.of(new CycleReport(Instant.parse(started), finished == null ? null : Instant.parse(finished),
          CycleReport.Result.ofLabel(result), text(r, "failed_step"), text(r, "message"),
          steps == null ? List.of() : JSON.readValue(steps, STEPS), integer(r, "epochs_computed"),
          integer(r, "epochs_reused"), text(r, "version")));
    } catch (DateTimeParseException | IllegalArgumentException | JsonProcessingException e) {
      throw new IOException("the meta table's cycle row of " + schema.meta() + " is not a cycle report: " + e.getMessage(), e);
    }
  }

  /**
   * Puts every column, an absent value as an empty one. Never a delete: HBase stamps a row's
   * delete and put with its clock, and a delete hides any put of the same millisecond, so two
   * reports recorded back to back (a step's end, then the cycle's) could lose the second's
   * values for good.
   */
  private static void set(Put put, String column, String value) {
    put.addColumn(HBaseSchema.META_FAMILY, HBaseSchema.bytes(column), HBaseSchema.bytes(value == null ? "" : value));
  }

  /** A column's text; absent or empty (an absent value, as {@link #set} writes it) is null. */
  private static String text(Result r, String column) {
    byte[] v = r.getValue(HBaseSchema.META_FAMILY, HBaseSchema.bytes(column));
    return v == null || v.length == 0 ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static Integer integer(Result r, String column) {
    String t = text(r, column);
    return t == null ? null : Integer.valueOf(t);
  }
}
