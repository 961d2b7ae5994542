package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.lambdadist.core.reconcile.ReconciliationReport;

/**
 * The latest reconciliation of the speed layer with the batch, one row ({@code reconcile}) of
 * the meta table: columns {@code version}, {@code at} and {@code report} (the
 * {@link ReconciliationReport} as JSON, {@link ReconciliationReport#toJson}). Written by the
 * batch cycle after each load and by {@code lambda reconcile}, each run replacing the last (a
 * single put, so a reader sees one whole report); read by {@code status} and the serving API.
 */
public final class ReconciliationStore {
  private static final byte[] ROW = HBaseSchema.bytes("reconcile");
  private static final byte[] VERSION = HBaseSchema.bytes("version");
  private static final byte[] AT = HBaseSchema.bytes("at");
  private static final byte[] REPORT = HBaseSchema.bytes("report");

  private final Connection connection;
  private final HBaseSchema schema;

  public ReconciliationStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** Stores {@code report} as the latest reconciliation (one row put: all columns or none). */
  public void write(ReconciliationReport report) throws IOException {
    Put put = new Put(ROW)
        .addColumn(HBaseSchema.META_FAMILY, REPORT, report.toJson().getBytes(StandardCharsets.UTF_8));
    if (report.version() != null) {
      put.addColumn(HBaseSchema.META_FAMILY, VERSION, HBaseSchema.bytes(report.version()));
    }
    if (report.at() != null) {
      put.addColumn(HBaseSchema.META_FAMILY, AT, HBaseSchema.bytes(report.at()));
    }
    try (Table meta = connection.getTable(schema.meta())) {
      meta.put(put);
    }
  }

  /**
   * The latest reconciliation, or empty when none ran yet.
   *
   * @throws IOException when HBase does not answer or the stored report is not one (written by
   *     an incompatible build)
   */
  public Optional<ReconciliationReport> latest() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result r = meta.get(new Get(ROW).addColumn(HBaseSchema.META_FAMILY, REPORT));
      byte[] json = r.getValue(HBaseSchema.META_FAMILY, REPORT);
      if (json == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(ReconciliationReport.fromJson(new String(json, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        throw new IOException("the meta row reconcile holds no readable report: " + e.getMessage(), e);
      }
    }
  }
}
