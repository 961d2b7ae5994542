package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.merge.ViewMerge;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * Reads one key's time series: the batch rows of the pointer's version table and the realtime
 * cells, each one bounded scan of {@code [from, to)} inside the key's row range (never beyond
 * it), merged by {@link ViewMerge}. The pointer is read once per lookup, so a lookup sees one
 * whole batch version even while a load flips the pointer.
 */
public final class ViewStore {
  private final Connection connection;
  private final HBaseSchema schema;

  public ViewStore(Connection connection, HBaseSchema schema) {
    this.connection = connection;
    this.schema = schema;
  }

  /** Reads a series; the realtime table only when {@code state} says it may hold newer cells. */
  public SeriesRead read(ServingState state, ViewDefinition view, List<String> dimensions, Granularity g,
                         long from, long to, int maxBuckets) throws IOException {
    BatchPointer pointer = state.pointer();
    byte[] start = RowKeyCodec.seriesStart(view.name(), dimensions, g, from);
    byte[] stop = RowKeyCodec.seriesStop(view.name(), dimensions, g, to);
    Map<Long, RowAggregate> batch = new HashMap<>();
    if (pointer != null) {
      try (Table table = connection.getTable(schema.versionTable(pointer.version()));
           ResultScanner scanner = table.getScanner(scan(start, stop, HBaseSchema.VIEW_FAMILY, maxBuckets))) {
        for (Result r : scanner) {
          byte[] value = r.getValue(HBaseSchema.VIEW_FAMILY, HBaseSchema.VIEW_QUALIFIER);
          if (value != null) {
            batch.put(bucketOf(r.getRow()), RowAggregateCodec.decode(value));
          }
        }
      } catch (TableNotFoundException e) {
        throw new IOException("the served batch version table " + schema.versionTable(pointer.version())
            + " is missing: the meta pointer and the tables disagree", e);
      }
    }
    Map<Long, Map<Long, RowAggregate>> realtime = new HashMap<>();
    TreeSet<Long> speedEpochs = new TreeSet<>();
    long coveredThrough = pointer == null ? -1 : pointer.lastEpoch();
    if (!state.realtimeAfterBatch()) {
      return new SeriesRead(ViewMerge.mergeSeries(view.metrics(), batch, realtime, coveredThrough), pointer, List.of());
    }
    try (Table table = connection.getTable(schema.realtime());
         ResultScanner scanner = table.getScanner(scan(start, stop, HBaseSchema.REALTIME_FAMILY, maxBuckets))) {
      for (Result r : scanner) {
        Map<Long, RowAggregate> cells = new TreeMap<>();
        for (Cell c : r.rawCells()) {
          long epoch = RowKeyCodec.epochOfQualifier(c.getQualifierArray(), c.getQualifierOffset(), c.getQualifierLength());
          cells.put(epoch, RowAggregateCodec.decode(CellUtil.cloneValue(c)));
          if (epoch > coveredThrough) {
            speedEpochs.add(epoch);
          }
        }
        realtime.put(bucketOf(r.getRow()), cells);
      }
    } catch (TableNotFoundException e) {
      // No realtime table yet (tables not created by this version): nothing from the speed layer.
    }
    NavigableMap<Long, RowAggregate> merged = ViewMerge.mergeSeries(view.metrics(), batch, realtime, coveredThrough);
    return new SeriesRead(merged, pointer, new ArrayList<>(speedEpochs));
  }

  private static Scan scan(byte[] start, byte[] stop, byte[] family, int maxBuckets) {
    return new Scan().withStartRow(start).withStopRow(stop).addFamily(family)
        .setCaching(Math.min(maxBuckets, 1000)).setLimit(maxBuckets).setReadType(Scan.ReadType.PREAD);
  }

  private static long bucketOf(byte[] row) {
    ViewKey key = RowKeyCodec.decode(row);
    return key.bucketStart();
  }
}
