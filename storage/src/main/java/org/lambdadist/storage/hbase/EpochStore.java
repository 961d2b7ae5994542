package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.RowMutations;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.epoch.PartitionOffsets;

/**
 * Arrival epochs and the speed layer's progress in the meta table:
 * <ul>
 *   <li>row {@code epochs}: {@code first} (the first Kafka epoch's number) and {@code started_at},
 *       written once with check-and-mutate;</li>
 *   <li>rows {@code epoch/<n>} (n zero-padded): {@code end} (offsets per partition), {@code closed_at},
 *       {@code closed_by}; a close is a check-and-mutate on the row's absence, so of two writers
 *       closing the same epoch one wins and the other reads the winner's boundary;</li>
 *   <li>row {@code speed}: the speed layer's {@link MicroBatchLedger} ({@code committed},
 *       {@code pending}: {@code seq|from|until}, and {@code pending_at}: when the pending one first
 *       ran, the time its dedup window is measured at, again when it is run again),
 *       {@code committed_at} and running totals.</li>
 * </ul>
 */
public final class EpochStore {
  private static final byte[] EPOCHS_ROW = HBaseSchema.bytes("epochs");
  private static final String EPOCH_ROW_PREFIX = "epoch/";
  private static final byte[] SPEED_ROW = HBaseSchema.bytes("speed");
  private static final byte[] F = HBaseSchema.META_FAMILY;

  private final Connection connection;
  private final HBaseSchema schema;

  /** The speed layer's stored progress. */
  public record SpeedProgress(MicroBatchLedger ledger, long committedAtMillis, long accepted, long rejected,
                              long duplicates, long pendingAtMillis) {
    public static final SpeedProgress NONE = new SpeedProgress(MicroBatchLedger.empty(), -1, 0, 0, 0, -1);
  }

  public EpochStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** The epoch chain, or null while no Kafka epoch was ever started. */
  public EpochChain readChain() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result genesis = meta.get(new Get(EPOCHS_ROW).addFamily(F));
      if (genesis.isEmpty()) {
        return null;
      }
      List<EpochChain.ClosedEpoch> closed = new ArrayList<>();
      Scan scan = new Scan().withStartRow(HBaseSchema.bytes(EPOCH_ROW_PREFIX))
          .withStopRow(HBaseSchema.bytes(EPOCH_ROW_PREFIX.substring(0, EPOCH_ROW_PREFIX.length() - 1) + "0"))
          .addFamily(F);
      try (ResultScanner rows = meta.getScanner(scan)) {
        for (Result r : rows) {
          String row = new String(r.getRow(), StandardCharsets.UTF_8);
          closed.add(new EpochChain.ClosedEpoch(Long.parseLong(row.substring(EPOCH_ROW_PREFIX.length())),
              PartitionOffsets.parse(text(r, "end")), number(r, "closed_at"), text(r, "closed_by")));
        }
      }
      return new EpochChain(number(genesis, "first"), number(genesis, "started_at"), closed);
    }
  }

  /**
   * Starts the chain at epoch {@code first} unless it was started; returns the chain as it is
   * (another writer's start wins).
   */
  public EpochChain startChain(long first, long nowMillis) throws IOException {
    Put put = new Put(EPOCHS_ROW).addColumn(F, col("first"), HBaseSchema.bytes(Long.toString(first)))
        .addColumn(F, col("started_at"), HBaseSchema.bytes(Long.toString(nowMillis)));
    try (Table meta = connection.getTable(schema.meta())) {
      meta.checkAndMutate(CheckAndMutate.newBuilder(EPOCHS_ROW).ifNotExists(F, col("first")).build(put));
    }
    return readChain();
  }

  /**
   * Closes the open epoch of {@code chain} at {@code end}. Returns the chain after the attempt:
   * with this close, or with another writer's close of the same epoch.
   */
  public EpochChain close(EpochChain chain, PartitionOffsets end, long nowMillis, String by) throws IOException {
    EpochChain next = chain.close(end, nowMillis, by);
    long epoch = chain.openEpoch();
    byte[] row = epochRow(epoch);
    Put put = new Put(row).addColumn(F, col("end"), HBaseSchema.bytes(next.endOf(epoch).toString()))
        .addColumn(F, col("closed_at"), HBaseSchema.bytes(Long.toString(nowMillis)))
        .addColumn(F, col("closed_by"), HBaseSchema.bytes(by));
    try (Table meta = connection.getTable(schema.meta())) {
      meta.checkAndMutate(CheckAndMutate.newBuilder(row).ifNotExists(F, col("end")).build(put));
    }
    return readChain();
  }

  public SpeedProgress readProgress() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result r = meta.get(new Get(SPEED_ROW).addFamily(F));
      if (r.isEmpty()) {
        return SpeedProgress.NONE;
      }
      return new SpeedProgress(new MicroBatchLedger(batch(text(r, "committed")), batch(text(r, "pending"))),
          number(r, "committed_at"), Math.max(0, number(r, "accepted")), Math.max(0, number(r, "rejected")),
          Math.max(0, number(r, "duplicates")), number(r, "pending_at"));
    }
  }

  /** The fingerprint of the views the speed layer last committed a micro-batch with, or null. */
  public String viewsFingerprint() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result r = meta.get(new Get(SPEED_ROW).addColumn(F, col("views_fingerprint")));
      return text(r, "views_fingerprint");
    }
  }

  /** Records the fingerprint of the views the speed layer computes its cells with. */
  public void recordViewsFingerprint(String fingerprint) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      meta.put(new Put(SPEED_ROW).addColumn(F, col("views_fingerprint"), HBaseSchema.bytes(fingerprint)));
    }
  }

  /** Records that the speed layer is alive and caught up with an empty micro-batch. */
  public void touch(long nowMillis) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      meta.put(new Put(SPEED_ROW).addColumn(F, col("committed_at"), HBaseSchema.bytes(Long.toString(nowMillis))));
    }
  }

  /** Records that the micro-batch is being written (before its first cell), first run at {@code atMillis}. */
  public void markPending(MicroBatchLedger.Batch batch, long atMillis) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      meta.put(new Put(SPEED_ROW).addColumn(F, col("pending"), HBaseSchema.bytes(format(batch)))
          .addColumn(F, col("pending_at"), HBaseSchema.bytes(Long.toString(atMillis))));
    }
  }

  /** Records that the micro-batch's output is complete, with the new running totals. */
  public void commit(MicroBatchLedger.Batch batch, long nowMillis, long accepted, long rejected, long duplicates)
      throws IOException {
    RowMutations m = new RowMutations(SPEED_ROW);
    m.add(new Put(SPEED_ROW).addColumn(F, col("committed"), HBaseSchema.bytes(format(batch)))
        .addColumn(F, col("committed_at"), HBaseSchema.bytes(Long.toString(nowMillis)))
        .addColumn(F, col("accepted"), HBaseSchema.bytes(Long.toString(accepted)))
        .addColumn(F, col("rejected"), HBaseSchema.bytes(Long.toString(rejected)))
        .addColumn(F, col("duplicates"), HBaseSchema.bytes(Long.toString(duplicates))));
    m.add(new Delete(SPEED_ROW).addColumns(F, col("pending")).addColumns(F, col("pending_at")));
    try (Table meta = connection.getTable(schema.meta())) {
      meta.mutateRow(m);
    }
  }

  static byte[] epochRow(long epoch) {
    return HBaseSchema.bytes(EPOCH_ROW_PREFIX + String.format("%019d", epoch));
  }

  private static String format(MicroBatchLedger.Batch b) {
    return b.sequence() + "|" + b.from() + "|" + b.until();
  }

  private static MicroBatchLedger.Batch batch(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split("\\|", -1);
    if (parts.length != 3) {
      throw new IllegalStateException("meta row speed holds a malformed micro-batch: " + text);
    }
    return new MicroBatchLedger.Batch(Long.parseLong(parts[0]), PartitionOffsets.parse(parts[1]),
        PartitionOffsets.parse(parts[2]));
  }

  private static byte[] col(String name) {
    return HBaseSchema.bytes(name);
  }

  private static String text(Result r, String column) {
    byte[] v = r.getValue(F, col(column));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static long number(Result r, String column) {
    String t = text(r, column);
    return t == null ? -1 : Long.parseLong(t);
  }
}
