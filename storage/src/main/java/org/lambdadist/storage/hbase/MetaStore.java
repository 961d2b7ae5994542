package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.RowMutations;
import org.apache.hadoop.hbase.client.Table;

/**
 * The pointer to the served batch version, one row ({@code batch}) of the meta table. It is
 * only ever changed by {@link #compareAndSet}, a check-and-mutate on the current version: of
 * two writers flipping at once one wins and the other is told, so what is served is always one
 * whole version, never a mix.
 */
public final class MetaStore {
  private static final byte[] ROW = HBaseSchema.bytes("batch");
  private static final byte[] CURRENT = HBaseSchema.bytes("current");
  private static final byte[] SPEED_ROW = HBaseSchema.bytes("speed");
  private static final byte[] MAX_EPOCH = HBaseSchema.bytes("max_epoch");

  private final Connection connection;
  private final HBaseSchema schema;

  public MetaStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** The served pointer, or null when no batch version was ever loaded. */
  public BatchPointer read() throws IOException {
    return readState().pointer();
  }

  /** What a lookup needs from meta, in one round trip: the pointer and the speed layer's mark. */
  public ServingState readState() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result[] rows = meta.get(java.util.List.of(new Get(ROW).addFamily(HBaseSchema.META_FAMILY),
          new Get(SPEED_ROW).addColumn(HBaseSchema.META_FAMILY, MAX_EPOCH)));
      Result r = rows[0];
      String version = text(r, "current");
      BatchPointer pointer = version == null ? null
          : new BatchPointer(version, number(r, "first"), number(r, "last"), text(r, "views"), text(r, "loaded_at"),
              text(r, "previous"), number(r, "previous_first"), number(r, "previous_last"), text(r, "previous_views"));
      return new ServingState(pointer, number(rows[1], "max_epoch"));
    }
  }

  /**
   * Records that realtime cells of {@code epoch} may exist. A writer of realtime cells (the
   * speed layer) calls this before it writes the first cell of an epoch; readers skip the
   * realtime table while no epoch after the batch coverage is marked. The mark only grows.
   */
  public void markRealtimeEpoch(long epoch) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      while (true) {
        Result r = meta.get(new Get(SPEED_ROW).addColumn(HBaseSchema.META_FAMILY, MAX_EPOCH));
        long current = number(r, "max_epoch");
        if (current >= epoch) {
          return;
        }
        Put put = new Put(SPEED_ROW).addColumn(HBaseSchema.META_FAMILY, MAX_EPOCH, HBaseSchema.bytes(Long.toString(epoch)));
        CheckAndMutate.Builder check = CheckAndMutate.newBuilder(SPEED_ROW);
        CheckAndMutate cam = current < 0
            ? check.ifNotExists(HBaseSchema.META_FAMILY, MAX_EPOCH).build(put)
            : check.ifEquals(HBaseSchema.META_FAMILY, MAX_EPOCH, HBaseSchema.bytes(Long.toString(current))).build(put);
        if (meta.checkAndMutate(cam).isSuccess()) {
          return;
        }
      }
    }
  }

  /**
   * Replaces the pointer if its current version is still {@code expectedVersion} (null: no
   * pointer yet). Returns false, changing nothing, when another writer got there first.
   */
  public boolean compareAndSet(String expectedVersion, BatchPointer next) throws IOException {
    Put put = new Put(ROW);
    Delete delete = new Delete(ROW);
    set(put, delete, "current", next.version());
    set(put, delete, "first", Long.toString(next.firstEpoch()));
    set(put, delete, "last", Long.toString(next.lastEpoch()));
    set(put, delete, "views", next.viewsJson());
    set(put, delete, "loaded_at", next.loadedAt());
    set(put, delete, "previous", next.previousVersion());
    set(put, delete, "previous_first", next.previousVersion() == null ? null : Long.toString(next.previousFirstEpoch()));
    set(put, delete, "previous_last", next.previousVersion() == null ? null : Long.toString(next.previousLastEpoch()));
    set(put, delete, "previous_views", next.previousViewsJson());
    RowMutations mutations = new RowMutations(ROW);
    mutations.add(put);
    if (!delete.isEmpty()) {
      mutations.add(delete);
    }
    CheckAndMutate.Builder check = CheckAndMutate.newBuilder(ROW);
    CheckAndMutate cam = expectedVersion == null
        ? check.ifNotExists(HBaseSchema.META_FAMILY, CURRENT).build(mutations)
        : check.ifEquals(HBaseSchema.META_FAMILY, CURRENT, HBaseSchema.bytes(expectedVersion)).build(mutations);
    try (Table meta = connection.getTable(schema.meta())) {
      return meta.checkAndMutate(cam).isSuccess();
    }
  }

  private static void set(Put put, Delete delete, String column, String value) {
    if (value == null) {
      delete.addColumns(HBaseSchema.META_FAMILY, HBaseSchema.bytes(column));
    } else {
      put.addColumn(HBaseSchema.META_FAMILY, HBaseSchema.bytes(column), HBaseSchema.bytes(value));
    }
  }

  private static String text(Result r, String column) {
    byte[] v = r.getValue(HBaseSchema.META_FAMILY, HBaseSchema.bytes(column));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static long number(Result r, String column) {
    String t = text(r, column);
    return t == null ? -1 : Long.parseLong(t);
  }
}
