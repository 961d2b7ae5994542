package org.lambdadist.serving.read;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.AsyncConnection;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.merge.ViewMerge;
import org.lambdadist.serving.metrics.ServingMetrics;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.storage.hbase.AttributionStore;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.SeriesReads;
import org.lambdadist.storage.hbase.ServingState;
import org.lambdadist.storage.hbase.PackedRows;
import org.lambdadist.storage.hbase.ViewStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@link ServingReads} on HBase. Every read is bounded just below {@code lambda.serving.deadline-ms}:
 * lookups run on the request thread, as scans of HBase's asynchronous client waited for with a
 * timeout below it;
 * other reads and the first connection go through a bounded pool with that timeout. A
 * background thread rereads meta every {@code lambda.serving.meta-cache-ms}; when its state is
 * older than four periods (HBase away), {@link #state} reads meta itself. The connection is made
 * again after it failed, so the service recovers by itself.
 *
 * <p>Batch versions are immutable, so the decoded batch rows of a key and range are kept in a
 * bounded cache ({@code lambda.serving.cache.rows}) keyed by version: an entry is never stale,
 * a flip empties the cache, and realtime cells, which change, are always read.
 */
public final class HBaseServingReads implements ServingReads {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HBaseServingReads.class);

  private final Configuration conf;
  private final HBaseSchema schema;
  private final long timeoutMillis;
  private final long metaCacheMillis;
  private final Clock clock;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService refresher;
  /** Batch answers as stored, by version, key and range; null when lambda.serving.cache.rows is 0. */
  private final Cache<CachedSeries, PackedRows> cache;
  private final ServingMetrics metrics;
  private volatile Connection connection;
  /** Lookups' scans: HBase's asynchronous client (thread-safe tables, no scanner pool). */
  private volatile AsyncConnection asyncConnection;
  private volatile ServingState cachedState;
  private volatile long cachedAt;
  private volatile boolean refreshFailing;

  /** Reads of the HBase of these settings, unmeasured (tools, benchmarks). */
  public HBaseServingReads(Configuration settings, Clock clock) {
    this(settings, clock, null);
  }

  /** Reads of the HBase of these settings, their scans timed and the cache watched by {@code metrics} (null: none). */
  public HBaseServingReads(Configuration settings, Clock clock, ServingMetrics metrics) {
    this.metrics = metrics;
    this.conf = new Configuration(settings);
    this.clock = clock;
    this.schema = new HBaseSchema(conf);
    // Every read ends before the request's deadline, so the API can still answer in time.
    this.timeoutMillis = Math.max(200, LambdaSettings.getInt(conf, LambdaKeys.SERVING_DEADLINE_MS) - 100);
    this.metaCacheMillis = LambdaSettings.getInt(conf, LambdaKeys.SERVING_META_CACHE_MS);
    // Lookups read HBase on the request thread: the client's own timeouts must end within ours.
    for (String key : new String[] {"hbase.client.operation.timeout", "hbase.client.scanner.timeout.period",
        "hbase.client.meta.operation.timeout"}) {
      conf.setLong(key, Math.min(conf.getLong(key, Long.MAX_VALUE), Math.max(500, timeoutMillis - 200)));
    }
    this.pool = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread thread = new Thread(r, "hbase-read");
      thread.setDaemon(true);
      return thread;
    });
    pool.allowCoreThreadTimeOut(true);
    long cacheRows = conf.getLong(LambdaKeys.SERVING_CACHE_ROWS, 100_000);
    this.cache = cacheRows <= 0 ? null : Caffeine.newBuilder().maximumWeight(cacheRows).recordStats()
        .weigher((CachedSeries k, PackedRows v) -> v.rows() + 1).build();
    if (cache != null && metrics != null) {
      CaffeineCacheMetrics.monitor(metrics.registry(), cache, "batch_rows");
    }
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "meta-refresh");
      thread.setDaemon(true);
      return thread;
    });
    refresher.scheduleWithFixedDelay(this::refresh, metaCacheMillis, metaCacheMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public ServingState state() throws IOException {
    ServingState s = cachedState;
    if (s != null && clock.millis() - cachedAt < 4 * metaCacheMillis) {
      return s;
    }
    return freshState();
  }

  @Override
  public ServingState freshState() throws IOException {
    ServingState s = bounded(() -> new MetaStore(connection(), schema).readState());
    forgetOtherVersions(s);
    cachedState = s;
    cachedAt = clock.millis();
    return s;
  }

  private void refresh() {
    try {
      ServingState s = new MetaStore(connection(), schema).readState();
      forgetOtherVersions(s);
      cachedState = s;
      cachedAt = clock.millis();
      refreshFailing = false;
    } catch (IOException | RuntimeException e) {
      if (!refreshFailing) { // once per outage, not every period
        LOG.warn("cannot read the served version from HBase meta; lookups read it themselves until it works: {}",
            e.toString());
      }
      refreshFailing = true;
    }
  }

  /** After a flip the old version's answers are never asked for again: free their memory at once. */
  private void forgetOtherVersions(ServingState s) {
    ServingState before = cachedState;
    String was = before == null || before.pointer() == null ? null : before.pointer().version();
    String now = s.pointer() == null ? null : s.pointer().version();
    if (cache != null && was != null && !was.equals(now)) {
      cache.invalidateAll();
    }
  }

  @Override
  public SeriesReads seriesOfKeys(ServingState state, ViewDefinition view, List<List<String>> keys, Granularity g,
                                  long from, long to, int maxRows, boolean realtimeParts) throws IOException {
    if (asyncConnection == null) { // connecting may block on ZooKeeper: bounded, on the pool
      return bounded(() -> read(state, view, keys, g, from, to, maxRows, realtimeParts));
    }
    try {
      return read(state, view, keys, g, from, to, maxRows, realtimeParts);
    } catch (IOException e) {
      throw unwrap(e);
    }
  }

  /**
   * The batch rows of each key from the cache or, for the keys it lacks, one scan of the
   * version table; then, when the speed layer may hold newer cells, one scan of the realtime
   * table for every key; merged per key.
   */
  private SeriesReads read(ServingState state, ViewDefinition view, List<List<String>> keys, Granularity g, long from,
                           long to, int maxRows, boolean realtimeParts) throws IOException {
    BatchPointer pointer = state.pointer();
    if (keys.isEmpty()) { // every key asked was refused, or none was asked: nothing to read
      return new SeriesReads(List.of(), pointer, List.of(), false);
    }
    ViewStore store = new ViewStore(asyncConnection(), schema, Math.max(500, timeoutMillis - 200));
    // Every key's row range, encoded once per lookup whether the batch scan, the realtime scan or both need it.
    ViewStore.KeyRanges[] built = new ViewStore.KeyRanges[1];
    Supplier<ViewStore.KeyRanges> allRanges = () -> {
      if (built[0] == null) {
        built[0] = new ViewStore.KeyRanges(view, keys, g, from, to);
      }
      return built[0];
    };
    List<Map<Long, RowAggregate>> batch = new ArrayList<>(keys.size());
    if (pointer == null) {
      for (int i = 0; i < keys.size(); i++) {
        batch.add(Map.of());
      }
    } else {
      batch = batchRows(store, pointer, view, keys, allRanges, g, from, to, maxRows);
      if (batch == null) {
        return new SeriesReads(List.of(), pointer, List.of(), true);
      }
    }
    List<NavigableMap<Long, RowAggregate>> merged = new ArrayList<>(keys.size());
    if (!state.realtimeAfterBatch()) {
      List<NavigableMap<Long, RowAggregate>> noParts = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        merged.add(ViewMerge.batchOnly(view.metrics(), batch.get(i)));
        if (realtimeParts) {
          noParts.add(new TreeMap<>());
        }
      }
      return new SeriesReads(merged, pointer, List.of(), false, noParts);
    }
    long coveredThrough = pointer == null ? -1 : pointer.lastEpoch();
    ViewStore.KeyRanges ranges = allRanges.get();
    long start = System.nanoTime();
    ViewStore.RealtimeCells realtime;
    try {
      realtime = store.realtimeCells(ranges, coveredThrough, maxRows);
    } catch (IOException | RuntimeException e) {
      timed("realtime", "failed", start);
      throw e;
    }
    timed("realtime", realtime == null ? "over_limit" : "ok", start);
    if (realtime == null) {
      return new SeriesReads(List.of(), pointer, List.of(), true);
    }
    List<NavigableMap<Long, RowAggregate>> parts = new ArrayList<>(realtimeParts ? keys.size() : 0);
    for (int i = 0; i < keys.size(); i++) {
      merged.add(ViewMerge.mergeSeries(view.metrics(), batch.get(i), realtime.cells().get(ranges.rangeOfKey(i)),
          coveredThrough));
      if (realtimeParts) {
        parts.add(ViewMerge.mergeSeries(view.metrics(), Map.of(), realtime.cells().get(ranges.rangeOfKey(i)),
            coveredThrough));
      }
    }
    return new SeriesReads(merged, pointer, new ArrayList<>(realtime.speedEpochs()), false, parts);
  }

  private void timed(String table, String outcome, long startNanos) {
    if (metrics != null) {
      metrics.storeRead(table, outcome, System.nanoTime() - startNanos);
    }
  }

  /** One cached answer: a key's batch rows in one range of one version. */
  private record CachedSeries(String version, String view, Granularity granularity, long from, long to,
                              List<String> key) {}

  /** Each key's batch rows (null: more than {@code maxRows}), from the cache where it has them. */
  private List<Map<Long, RowAggregate>> batchRows(ViewStore store, BatchPointer pointer, ViewDefinition view,
      List<List<String>> keys, Supplier<ViewStore.KeyRanges> allRanges, Granularity g, long from,
      long to, int maxRows) throws IOException {
    List<Map<Long, RowAggregate>> rows = new ArrayList<>(keys.size());
    List<List<String>> missing = new ArrayList<>();
    List<Integer> missingAt = new ArrayList<>();
    int cachedRows = 0;
    Set<List<String>> counted = new HashSet<>(); // a key asked twice counts once, as when scanned
    for (int i = 0; i < keys.size(); i++) {
      PackedRows hit = cache == null ? null
          : cache.getIfPresent(new CachedSeries(pointer.version(), view.name(), g, from, to, keys.get(i)));
      rows.add(hit == null ? null : hit.decode());
      if (hit == null) {
        missing.add(keys.get(i));
        missingAt.add(i);
      } else if (counted.add(keys.get(i))) {
        cachedRows += hit.rows();
      }
    }
    if (cachedRows > maxRows) {
      return null;
    }
    if (missing.isEmpty()) {
      return rows;
    }
    ViewStore.KeyRanges ranges = missing.size() == keys.size() ? allRanges.get()
        : new ViewStore.KeyRanges(view, missing, g, from, to);
    long start = System.nanoTime();
    List<PackedRows> read;
    try {
      read = store.batchRows(pointer, ranges, maxRows - cachedRows);
    } catch (IOException | RuntimeException e) {
      timed("batch", "failed", start);
      throw e;
    }
    timed("batch", read == null ? "over_limit" : "ok", start);
    if (read == null) {
      return null;
    }
    List<Map<Long, RowAggregate>> decoded = new ArrayList<>(read.size());
    for (PackedRows r : read) {
      decoded.add(r.decode());
    }
    for (int m = 0; m < missing.size(); m++) {
      int range = ranges.rangeOfKey(m);
      rows.set(missingAt.get(m), decoded.get(range));
      if (cache != null) {
        cache.put(new CachedSeries(pointer.version(), view.name(), g, from, to, missing.get(m)), read.get(range));
      }
    }
    return rows;
  }

  @Override
  public List<AttributionRow> attribution(String version, String model, String fromDay, String toDay, int limit)
      throws IOException {
    return direct(() -> new AttributionStore(connection(), schema).read(version, model, fromDay, toDay, limit));
  }

  @Override
  public EpochChain epochChain() throws IOException {
    return bounded(() -> new EpochStore(connection(), schema).readChain());
  }

  @Override
  public EpochStore.SpeedProgress speedProgress() throws IOException {
    return bounded(() -> new EpochStore(connection(), schema).readProgress());
  }

  @Override
  public java.util.Optional<org.lambdadist.storage.hbase.CycleReport> lastCycle() throws IOException {
    return bounded(() -> new org.lambdadist.storage.hbase.CycleStore(connection(), schema).lastCycle());
  }

  @Override
  public java.util.Optional<org.lambdadist.core.reconcile.ReconciliationReport> latestReconciliation()
      throws IOException {
    return bounded(() -> new org.lambdadist.storage.hbase.ReconciliationStore(connection(), schema).latest());
  }

  /** Runs a read on the pool with the timeout; a read that cannot start, or does not end in time, is unavailable. */
  private <T> T bounded(Callable<T> read) throws IOException {
    Future<T> f;
    try {
      f = pool.submit(read);
    } catch (RejectedExecutionException e) {
      throw new StoreUnavailableException("too many requests waiting for HBase", e);
    }
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new StoreUnavailableException("HBase did not answer within " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while reading HBase", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  /**
   * Runs a read on the calling thread, bounded by the HBase client's own timeouts (set below the
   * API's): the hot path, without a thread hand-off. Before the first connection it goes through
   * the pool, since connecting may block on ZooKeeper.
   */
  private <T> T direct(Callable<T> read) throws IOException {
    if (connection == null) {
      return bounded(read);
    }
    try {
      return read.call();
    } catch (Exception e) {
      throw unwrap(e);
    }
  }

  private static IOException unwrap(Throwable cause) {
    if (cause instanceof IllegalStateException || cause instanceof org.lambdadist.core.codec.CodecException) {
      throw (RuntimeException) cause; // an inconsistent store: 500, said by the caller
    }
    return new StoreUnavailableException("HBase unavailable: " + cause, cause);
  }

  /** The HBase connection, made on first use and again after it was closed or failed. */
  private Connection connection() throws IOException {
    Connection c = connection;
    if (c == null || c.isClosed() || c.isAborted()) {
      synchronized (this) {
        c = connection;
        if (c == null || c.isClosed() || c.isAborted()) {
          c = ConnectionFactory.createConnection(conf);
          connection = c;
        }
      }
    }
    return c;
  }

  /** The asynchronous connection of lookups, made on first use and again after it was closed. */
  private AsyncConnection asyncConnection() throws IOException {
    AsyncConnection c = asyncConnection;
    if (c == null || c.isClosed()) {
      synchronized (this) {
        c = asyncConnection;
        if (c == null || c.isClosed()) {
          try {
            c = ConnectionFactory.createAsyncConnection(conf).get(timeoutMillis, TimeUnit.MILLISECONDS);
          } catch (ExecutionException e) {
            throw new StoreUnavailableException("cannot connect to HBase: " + e.getCause(), e.getCause());
          } catch (TimeoutException e) {
            throw new StoreUnavailableException("HBase did not accept a connection within " + timeoutMillis + " ms", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while connecting to HBase", e);
          }
          asyncConnection = c;
        }
      }
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    pool.shutdownNow();
    AsyncConnection a = asyncConnection;
    if (a != null) {
      a.close();
    }
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }
}
