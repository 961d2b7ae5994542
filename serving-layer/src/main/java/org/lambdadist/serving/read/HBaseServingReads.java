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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.storage.hbase.AttributionStore;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.SeriesRead;
import org.lambdadist.storage.hbase.ServingState;
import org.lambdadist.storage.hbase.ViewStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@link ServingReads} on HBase. Every read is bounded just below {@code lambda.serving.deadline-ms}:
 * lookups run on the request thread within the HBase client's own timeouts (capped below it);
 * other reads and the first connection go through a bounded pool with that timeout. A
 * background thread rereads meta every {@code lambda.serving.meta-cache-ms}; when its state is
 * older than four periods (HBase away), {@link #state} reads meta itself. The connection is made
 * again after it failed, so the service recovers by itself.
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
  private volatile Connection connection;
  private volatile ServingState cachedState;
  private volatile long cachedAt;
  private volatile boolean refreshFailing;

  public HBaseServingReads(Configuration settings, Clock clock) {
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
    cachedState = s;
    cachedAt = clock.millis();
    return s;
  }

  private void refresh() {
    try {
      ServingState s = new MetaStore(connection(), schema).readState();
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

  @Override
  public SeriesRead series(ServingState state, ViewDefinition view, List<String> dimensions, Granularity g, long from,
                           long to, int maxBuckets) throws IOException {
    return direct(() -> new ViewStore(connection(), schema).read(state, view, dimensions, g, from, to, maxBuckets));
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

  @Override
  public void close() throws IOException {
    refresher.shutdownNow();
    pool.shutdownNow();
    Connection c = connection;
    if (c != null) {
      c.close();
    }
  }
}
