package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.filter.ColumnRangeFilter;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;

/**
 * The speed layer's writes: per (view row, arrival epoch) one cell ({@code r:<epoch>}) holding
 * the aggregate of every event of that epoch seen so far, and beside it ({@code s:<epoch>}) the
 * sequence number of the last micro-batch merged into it. A micro-batch merges its partial
 * aggregate into a cell only when the cell's sequence is older, and replaces the cell with a
 * put (never an increment): running a micro-batch again after a crash changes only the cells it
 * had not reached, so each event counts exactly once.
 */
public final class RealtimeStore {
  private static final int CHUNK = 2_000;

  private final Connection connection;
  private final HBaseSchema schema;

  /** One micro-batch's partial aggregate of a view row in an epoch. */
  public record CellUpdate(byte[] rowKey, long epoch, byte[] partial) {}

  /** Receives the realtime cells a {@link #scanEpochs} finds. */
  @FunctionalInterface
  public interface CellVisitor {
    /** One cell: its row key ({@link RowKeyCodec}), its epoch and its aggregate ({@link RowAggregateCodec}). */
    void cell(byte[] rowKey, long epoch, byte[] aggregate) throws IOException;
  }

  public RealtimeStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** Merges the updates of micro-batch {@code sequence}; returns how many cells changed. */
  public int apply(List<CellUpdate> updates, long sequence) throws IOException {
    int changed = 0;
    try (Table table = connection.getTable(schema.realtime())) {
      for (int from = 0; from < updates.size(); from += CHUNK) {
        List<CellUpdate> chunk = updates.subList(from, Math.min(updates.size(), from + CHUNK));
        List<Get> gets = new ArrayList<>(chunk.size());
        for (CellUpdate u : chunk) {
          byte[] q = RowKeyCodec.epochQualifier(u.epoch());
          gets.add(new Get(u.rowKey()).addColumn(HBaseSchema.REALTIME_FAMILY, q)
              .addColumn(HBaseSchema.REALTIME_SEQUENCE_FAMILY, q));
        }
        Result[] existing = table.get(gets);
        List<Put> puts = new ArrayList<>(chunk.size());
        byte[] seq = Bytes.toBytes(sequence);
        for (int i = 0; i < chunk.size(); i++) {
          CellUpdate u = chunk.get(i);
          byte[] q = RowKeyCodec.epochQualifier(u.epoch());
          byte[] mark = existing[i].getValue(HBaseSchema.REALTIME_SEQUENCE_FAMILY, q);
          if (mark != null && Bytes.toLong(mark) >= sequence) {
            continue; // this micro-batch reached the cell before it was interrupted
          }
          byte[] old = existing[i].getValue(HBaseSchema.REALTIME_FAMILY, q);
          byte[] value = old == null ? u.partial() : RowAggregateCodec.merge(old, u.partial());
          puts.add(new Put(u.rowKey()).addColumn(HBaseSchema.REALTIME_FAMILY, q, value)
              .addColumn(HBaseSchema.REALTIME_SEQUENCE_FAMILY, q, seq));
        }
        table.put(puts);
        changed += puts.size();
      }
    }
    return changed;
  }

  /**
   * Visits every realtime cell of the epochs {@code fromEpoch..toEpoch} (inclusive), in row
   * order: a scan of the whole table that the region servers filter down to those qualifiers
   * (epochs are 8 bytes big-endian, so their byte order is their numeric order). Cells already
   * expired by the table's TTL are not seen.
   */
  public void scanEpochs(long fromEpoch, long toEpoch, CellVisitor visitor) throws IOException {
    Scan scan = new Scan().addFamily(HBaseSchema.REALTIME_FAMILY)
        .setFilter(new ColumnRangeFilter(RowKeyCodec.epochQualifier(fromEpoch), true,
            RowKeyCodec.epochQualifier(toEpoch), true))
        .setCaching(1_000);
    try (Table table = connection.getTable(schema.realtime()); ResultScanner scanner = table.getScanner(scan)) {
      for (Result r : scanner) {
        for (Cell c : r.rawCells()) {
          visitor.cell(r.getRow(), RowKeyCodec.epochOfQualifier(c.getQualifierArray(), c.getQualifierOffset(),
              c.getQualifierLength()), CellUtil.cloneValue(c));
        }
      }
    }
  }
}
