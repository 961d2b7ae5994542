package org.lambdadist.storage.hbase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.lambdadist.core.attribution.AttributionRow;

/**
 * Attribution results in the {@code attribution} table, one row per (batch version, model,
 * day, channel, campaign): key {@code version 0x00 model 0x00 day} then the length-prefixed
 * channel and campaign (a 0 flag for a null campaign); cells {@code a:c} (conversions) and
 * {@code a:r} (revenue) as 8-byte doubles. A version's rows are written by {@code load} before
 * its flip and deleted when the version is dropped; a day range of one model is one scan.
 */
public final class AttributionStore {
  private static final byte[] CONVERSIONS = HBaseSchema.bytes("c");
  private static final byte[] REVENUE = HBaseSchema.bytes("r");

  private final Connection connection;
  private final HBaseSchema schema;

  public AttributionStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  static byte[] prefix(String version, String model) {
    return (version + "\u0000" + model + "\u0000").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] key(String version, AttributionRow row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix(version, row.model()));
    out.writeBytes(row.day().getBytes(StandardCharsets.UTF_8));
    byte[] channel = row.channel().getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(channel.length).array());
    out.writeBytes(channel);
    if (row.campaign() == null) {
      out.write(0);
    } else {
      byte[] campaign = row.campaign().getBytes(StandardCharsets.UTF_8);
      out.write(1);
      out.writeBytes(ByteBuffer.allocate(4).putInt(campaign.length).array());
      out.writeBytes(campaign);
    }
    return out.toByteArray();
  }

  /** Writes a version's rows. */
  public void write(String version, List<AttributionRow> rows) throws IOException {
    try (BufferedMutator m = connection.getBufferedMutator(schema.attribution())) {
      for (AttributionRow r : rows) {
        Put put = new Put(key(version, r));
        put.addColumn(HBaseSchema.ATTRIBUTION_FAMILY, CONVERSIONS, ByteBuffer.allocate(8).putDouble(r.conversions()).array());
        put.addColumn(HBaseSchema.ATTRIBUTION_FAMILY, REVENUE, ByteBuffer.allocate(8).putDouble(r.revenue()).array());
        m.mutate(put);
      }
    }
  }

  /** The rows of one model with day in {@code [fromDay, toDay]} (ISO dates, inclusive). */
  public List<AttributionRow> read(String version, String model, String fromDay, String toDay) throws IOException {
    return read(version, model, fromDay, toDay, Integer.MAX_VALUE);
  }

  /** At most {@code limit} rows of one model with day in {@code [fromDay, toDay]}: a bounded scan. */
  public List<AttributionRow> read(String version, String model, String fromDay, String toDay, int limit)
      throws IOException {
    byte[] prefix = prefix(version, model);
    byte[] start = concat(prefix, fromDay.getBytes(StandardCharsets.UTF_8));
    byte[] stop = concat(prefix, (toDay + "\u0001").getBytes(StandardCharsets.UTF_8));
    List<AttributionRow> rows = new ArrayList<>();
    try (Table t = connection.getTable(schema.attribution());
         ResultScanner s = t.getScanner(new Scan().withStartRow(start).withStopRow(stop)
             .addFamily(HBaseSchema.ATTRIBUTION_FAMILY).setCaching(Math.min(1000, Math.max(1, limit)))
             .setLimit(Math.max(1, limit)))) {
      for (Result r : s) {
        rows.add(decode(model, prefix.length, r));
      }
    }
    return rows;
  }

  /** Deletes every row of a version. */
  public void delete(String version) throws IOException {
    byte[] prefix = (version + "\u0000").getBytes(StandardCharsets.UTF_8);
    try (Table t = connection.getTable(schema.attribution());
         ResultScanner s = t.getScanner(new Scan().setStartStopRowForPrefixScan(prefix).setCaching(1000));
         BufferedMutator m = connection.getBufferedMutator(schema.attribution())) {
      for (Result r : s) {
        m.mutate(new Delete(r.getRow()));
      }
    }
  }

  private static AttributionRow decode(String model, int prefixLength, Result r) {
    ByteBuffer k = ByteBuffer.wrap(r.getRow());
    k.position(prefixLength);
    byte[] day = new byte[10];
    k.get(day);
    byte[] channel = new byte[k.getInt()];
    k.get(channel);
    String campaign = null;
    if (k.get() == 1) {
      byte[] c = new byte[k.getInt()];
      k.get(c);
      campaign = new String(c, StandardCharsets.UTF_8);
    }
    double conversions = ByteBuffer.wrap(r.getValue(HBaseSchema.ATTRIBUTION_FAMILY, CONVERSIONS)).getDouble();
    double revenue = ByteBuffer.wrap(r.getValue(HBaseSchema.ATTRIBUTION_FAMILY, REVENUE)).getDouble();
    return new AttributionRow(model, new String(day, StandardCharsets.UTF_8), new String(channel, StandardCharsets.UTF_8),
        campaign, conversions, revenue);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
