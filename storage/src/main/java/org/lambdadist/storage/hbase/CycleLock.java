package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;

/**
 * The batch cycle's lock: meta row {@code cycle}, column {@code lock} = {@code owner|acquired-at}.
 * Taken with check-and-mutate on absence, so two cycles never overlap, whichever machine or
 * scheduler (Oozie, cron) starts them; a lock older than the stale age (a cycle that died
 * without releasing) may be taken over, again with check-and-mutate on its exact value.
 */
public final class CycleLock {
  private static final byte[] ROW = HBaseSchema.bytes("cycle");
  private static final byte[] LOCK = HBaseSchema.bytes("lock");

  private final Connection connection;
  private final HBaseSchema schema;

  public CycleLock(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** The current holder ({@code owner|millis}) or null. */
  public String holder() throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      byte[] v = meta.get(new Get(ROW).addColumn(HBaseSchema.META_FAMILY, LOCK)).getValue(HBaseSchema.META_FAMILY, LOCK);
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
  }

  /**
   * Takes the lock for {@code owner}; returns null when taken, else the holder that keeps it.
   * A holder older than {@code staleMillis} is replaced.
   */
  public String acquire(String owner, long nowMillis, long staleMillis) throws IOException {
    byte[] value = HBaseSchema.bytes(owner + "|" + nowMillis);
    Put put = new Put(ROW).addColumn(HBaseSchema.META_FAMILY, LOCK, value);
    try (Table meta = connection.getTable(schema.meta())) {
      if (meta.checkAndMutate(CheckAndMutate.newBuilder(ROW).ifNotExists(HBaseSchema.META_FAMILY, LOCK).build(put))
          .isSuccess()) {
        return null;
      }
      Result r = meta.get(new Get(ROW).addColumn(HBaseSchema.META_FAMILY, LOCK));
      byte[] held = r.getValue(HBaseSchema.META_FAMILY, LOCK);
      if (held == null) {
        return acquire(owner, nowMillis, staleMillis);
      }
      String text = new String(held, StandardCharsets.UTF_8);
      long since = Long.parseLong(text.substring(text.lastIndexOf('|') + 1));
      if (nowMillis - since >= staleMillis && meta.checkAndMutate(CheckAndMutate.newBuilder(ROW)
          .ifEquals(HBaseSchema.META_FAMILY, LOCK, held).build(put)).isSuccess()) {
        return null;
      }
      return text;
    }
  }

  /** Releases the lock if {@code owner} still holds it; returns whether it did. */
  public boolean release(String owner) throws IOException {
    try (Table meta = connection.getTable(schema.meta())) {
      Result r = meta.get(new Get(ROW).addColumn(HBaseSchema.META_FAMILY, LOCK));
      byte[] held = r.getValue(HBaseSchema.META_FAMILY, LOCK);
      if (held == null || !new String(held, StandardCharsets.UTF_8).startsWith(owner + "|")) {
        return false;
      }
      return meta.checkAndMutate(CheckAndMutate.newBuilder(ROW).ifEquals(HBaseSchema.META_FAMILY, LOCK, held)
          .build(new Delete(ROW).addColumns(HBaseSchema.META_FAMILY, LOCK))).isSuccess();
    }
  }
}
