package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.TableNotFoundException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.hbase.client.AdvancedScanResultConsumer;
import org.apache.hadoop.hbase.client.AsyncConnection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.filter.MultiRowRangeFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;

/**
 * Reads the time series of one or many keys of a view: the batch rows of the pointer's version
 * table and the realtime cells, bounded scans over the keys' row ranges {@code [from, to)} (never
 * beyond them: the keys of one region are one scan with a {@link MultiRowRangeFilter},
 * which seeks from range to range, and the regions' scans run at once). The caller merges them with
 * core's {@code ViewMerge}, and reads the pointer once per lookup, so a lookup sees one whole
 * batch version even while a load flips the pointer.
 */
public final class ViewStore {
  private final AsyncConnection connection;
  private final HBaseSchema schema;
  private final long timeoutMillis;

  /**
   * A store on HBase's asynchronous client: a lookup's scan is one {@code scanAll} on the
   * caller's thread, with no table object per call and no hand-off to the blocking client's
   * scanner pool. Every read fails after {@code timeoutMillis}.
   */
  public ViewStore(AsyncConnection connection, HBaseSchema schema, long timeoutMillis) {
    this.connection = connection;
    this.schema = schema;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Every row of the ranges, or null when they hold more than {@code maxRows}. Ranges of one
   * region (by the client's cached region locations) are one scan; the scans of different
   * regions run at once. One scan across regions would open a scanner on each in turn: 100 keys
   * over 16 regions took 3× longer that way, in HBase itself. The scans share the row cap, so a
   * request over it stops them all having read at most the cap plus one batch per scan.
   */
  private List<Result> scanRanges(TableName table, KeyRanges ranges, byte[] family, int maxRows) throws IOException {
    // One deadline for locating the regions and scanning them: a read never waits longer than the timeout.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<int[]> groups = ranges.size() == 1 ? List.of(new int[] {0, 1}) : regionGroups(table, ranges, deadline);
    if (groups.size() == 1) {
      List<Result> results = await(connection.getTable(table).scanAll(ranges.scan(0, ranges.size(), family, maxRows + 1)),
          table, deadline);
      return results.size() > maxRows ? null : results;
    }
    AtomicInteger rows = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<CollectingConsumer> scans = new ArrayList<>(groups.size());
    org.apache.hadoop.hbase.client.AsyncTable<AdvancedScanResultConsumer> t = connection.getTable(table);
    for (int[] g : groups) {
      CollectingConsumer consumer = new CollectingConsumer(rows, maxRows, stop);
      scans.add(consumer);
      t.scan(ranges.scan(g[0], g[1], family, maxRows + 1), consumer);
    }
    try {
      await(CompletableFuture.allOf(scans.stream().map(c -> c.done).toArray(CompletableFuture[]::new)), table, deadline);
    } catch (IOException e) {
      stop.set(true); // the scans still running end at their next batch
      throw e;
    }
    if (rows.get() > maxRows) {
      return null;
    }
    List<Result> all = new ArrayList<>(rows.get());
    for (CollectingConsumer c : scans) {
      all.addAll(c.results);
    }
    return all;
  }

  /**
   * The rows of one of a lookup's concurrent scans, collected on the client's own threads (so it
   * never blocks); it stops its scan once all of them together are over the cap, or when told to.
   */
  private static final class CollectingConsumer implements AdvancedScanResultConsumer {
    final List<Result> results = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger rows;
    private final int maxRows;
    private final AtomicBoolean stop;

    CollectingConsumer(AtomicInteger rows, int maxRows, AtomicBoolean stop) {
      this.rows = rows;
      this.maxRows = maxRows;
      this.stop = stop;
    }

    @Override
    public void onNext(Result[] batch, ScanController controller) {
      Collections.addAll(results, batch);
      if (rows.addAndGet(batch.length) > maxRows || stop.get()) {
        controller.terminate();
      }
    }

    @Override
    public void onHeartbeat(ScanController controller) {
      if (stop.get()) {
        controller.terminate();
      }
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  /**
   * The ranges grouped by the region holding their first row, as {@code [first, end)} index
   * pairs: the ranges are sorted, so a group is contiguous, and a region is looked up only for
   * the first range starting at or past the end of the region before (one lookup per region, not
   * per range: a lookup of the client's cache compares row keys in pure Java). Locations come
   * from the client's cache (HBase's meta on the first read of a table). A range reaching into
   * the next region (a region split inside a salt) is still read whole: a scan goes on across
   * regions.
   */
  private List<int[]> regionGroups(TableName table, KeyRanges ranges, long deadline) throws IOException {
    org.apache.hadoop.hbase.client.AsyncTableRegionLocator locator = connection.getRegionLocator(table);
    List<int[]> groups = new ArrayList<>();
    int first = 0;
    while (first < ranges.size()) {
      byte[] end = await(locator.getRegionLocation(ranges.starts[first]), table, deadline).getRegion().getEndKey();
      int next = first + 1;
      while (next < ranges.size() && (end.length == 0 || Arrays.compareUnsigned(ranges.starts[next], end) < 0)) {
        next++;
      }
      groups.add(new int[] {first, next});
      first = next;
    }
    return groups;
  }

  /**
   * The value of a read of {@code table}, waited for until {@code deadline} ({@link System#nanoTime});
   * any failure as an IOException (TableNotFoundException included).
   */
  private <T> T await(CompletableFuture<T> read, TableName table, long deadline) throws IOException {
    try {
      return read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
          ? c.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("HBase scan of " + table + " failed", cause);
    } catch (TimeoutException e) {
      throw new IOException("HBase did not answer a scan of " + table + " within " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while scanning " + table);
    }
  }

  /**
   * The row ranges of some keys' series in {@code [from, to)}, sorted as HBase orders rows, each
   * remembering which of the keys asked for it (a key asked twice is one range).
   */
  public static final class KeyRanges {
    final byte[][] starts;
    final byte[][] stops;
    /** For each key asked, its range. */
    final int[] rangeOfKey;

    public KeyRanges(ViewDefinition view, List<List<String>> keys, Granularity g, long from, long to) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no keys to read");
      }
      int n = keys.size();
      byte[][] s = new byte[n][];
      byte[][] e = new byte[n][];
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        s[i] = RowKeyCodec.seriesStart(view.name(), keys.get(i), g, from);
        e[i] = RowKeyCodec.seriesStop(view.name(), keys.get(i), g, to);
        order[i] = i;
      }
      // HBase's order (unsigned bytes); the JDK's intrinsic: HBase's Bytes fell back to a
      // pure-Java comparer here, a tenth of a multi-key lookup's CPU.
      Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(s[a], s[b]));
      List<Integer> firstKeys = new ArrayList<>();
      rangeOfKey = new int[n];
      for (int i = 0; i < n; i++) {
        int k = order[i];
        if (!firstKeys.isEmpty() && Arrays.equals(s[firstKeys.get(firstKeys.size() - 1)], s[k])) {
          rangeOfKey[k] = firstKeys.size() - 1;
        } else {
          firstKeys.add(k);
          rangeOfKey[k] = firstKeys.size() - 1;
        }
      }
      int ranges = firstKeys.size();
      starts = new byte[ranges][];
      stops = new byte[ranges][];
      for (int r = 0; r < ranges; r++) {
        starts[r] = s[firstKeys.get(r)];
        stops[r] = e[firstKeys.get(r)];
      }
    }

    /** The range of the {@code i}-th key asked. */
    public int rangeOfKey(int i) {
      return rangeOfKey[i];
    }

    /** Ranges to scan (keys asked twice count once). */
    public int size() {
      return starts.length;
    }

    /**
     * The range holding {@code row}, tried first at {@code guess} (the range of the row before:
     * a scan's rows come in range order), else searched.
     */
    int rangeOf(byte[] row, int guess) {
      if (guess < starts.length && Arrays.compareUnsigned(starts[guess], row) <= 0
          && Arrays.compareUnsigned(row, stops[guess]) < 0) {
        return guess;
      }
      return rangeOf(row);
    }

    /** The range holding {@code row}: the last range starting at or before it (the scan stays inside ranges). */
    int rangeOf(byte[] row) {
      int lo = 0;
      int hi = starts.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (Arrays.compareUnsigned(starts[mid], row) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      if (Arrays.compareUnsigned(starts[lo], row) > 0 || Arrays.compareUnsigned(row, stops[lo]) >= 0) {
        throw new IllegalStateException("the scan returned row " + Bytes.toStringBinary(row) + " outside every range asked");
      }
      return lo;
    }

    /** One scan of ranges {@code [first, end)}: a plain range, or a {@link MultiRowRangeFilter} seeking between them. */
    private Scan scan(int first, int end, byte[] family, int limit) {
      Scan scan = new Scan().withStartRow(starts[first]).withStopRow(stops[end - 1]).addFamily(family)
          .setCaching(Math.min(limit, 1000)).setLimit(limit).setReadType(Scan.ReadType.PREAD);
      if (end - first > 1) {
        List<MultiRowRangeFilter.RowRange> ranges = new ArrayList<>(end - first);
        for (int r = first; r < end; r++) {
          ranges.add(new MultiRowRangeFilter.RowRange(starts[r], true, stops[r], false));
        }
        scan.setFilter(new MultiRowRangeFilter(ranges));
      }
      return scan;
    }

  }

  /**
   * Batch rows of each range of {@code ranges} (by range index), as stored, at most
   * {@code maxRows} in all: null when there are more (the scan stops one row beyond the cap).
   */
  public List<PackedRows> batchRows(BatchPointer pointer, KeyRanges ranges, int maxRows) throws IOException {
    PackedRows.Builder[] rows = new PackedRows.Builder[ranges.size()];
    TableName name = schema.versionTable(pointer.version());
    List<Result> results;
    try {
      results = scanRanges(name, ranges, HBaseSchema.VIEW_FAMILY, maxRows);
    } catch (TableNotFoundException e) {
      throw new IOException("the served batch version table " + name
          + " is missing: the meta pointer and the tables disagree", e);
    }
    if (results == null) {
      return null;
    }
    int range = 0;
    for (Result r : results) {
      Cell value = r.getColumnLatestCell(HBaseSchema.VIEW_FAMILY, HBaseSchema.VIEW_QUALIFIER);
      if (value != null) {
        byte[] row = r.getRow();
        range = ranges.rangeOf(row, range);
        if (rows[range] == null) {
          rows[range] = new PackedRows.Builder();
        }
        rows[range].add(bucketOf(row), value.getValueArray(), value.getValueOffset(), value.getValueLength());
      }
    }
    List<PackedRows> packed = new ArrayList<>(rows.length);
    for (PackedRows.Builder b : rows) {
      packed.add(b == null ? PackedRows.EMPTY : b.build());
    }
    return packed;
  }

  /** Realtime cells of some ranges: by range index, then bucket, then epoch; and the epochs after the batch. */
  public record RealtimeCells(List<Map<Long, Map<Long, RowAggregate>>> cells, TreeSet<Long> speedEpochs) {}

  /**
   * Realtime cells of each range (null when more than {@code maxRows} rows), with the epochs
   * after {@code coveredThrough} they hold.
   */
  public RealtimeCells realtimeCells(KeyRanges ranges, long coveredThrough, int maxRows) throws IOException {
    List<Map<Long, Map<Long, RowAggregate>>> cells = new ArrayList<>(ranges.size());
    for (int i = 0; i < ranges.size(); i++) {
      cells.add(new HashMap<>());
    }
    TreeSet<Long> speedEpochs = new TreeSet<>();
    List<Result> results;
    try {
      results = scanRanges(schema.realtime(), ranges, HBaseSchema.REALTIME_FAMILY, maxRows);
    } catch (TableNotFoundException e) {
      results = List.of(); // No realtime table yet (tables not created by this version): nothing from the speed layer.
    }
    if (results == null) {
      return null;
    }
    int range = 0;
    for (Result r : results) {
      Map<Long, RowAggregate> byEpoch = new TreeMap<>();
      for (Cell c : r.rawCells()) {
        long epoch = RowKeyCodec.epochOfQualifier(c.getQualifierArray(), c.getQualifierOffset(), c.getQualifierLength());
        byEpoch.put(epoch, RowAggregateCodec.decode(c.getValueArray(), c.getValueOffset(), c.getValueLength()));
        if (epoch > coveredThrough) {
          speedEpochs.add(epoch);
        }
      }
      byte[] row = r.getRow();
      range = ranges.rangeOf(row, range);
      cells.get(range).put(bucketOf(row), byEpoch);
    }
    return new RealtimeCells(cells, speedEpochs);
  }

  private static long bucketOf(byte[] row) {
    return RowKeyCodec.bucketStartOfSeriesRow(row);
  }
}
