package org.lambdadist.serving.read;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.SeriesRead;
import org.lambdadist.storage.hbase.SeriesReads;
import org.lambdadist.storage.hbase.ServingState;

/**
 * Everything the API reads, and nothing else. Failure semantics: a store that cannot be reached
 * or does not answer within the implementation's deadline throws {@link StoreUnavailableException}
 * (or another {@link IOException}): the API answers 503. A store whose contents contradict
 * themselves (a missing version table, a cell that does not decode, a row whose metrics differ
 * from the view's) throws {@link IllegalStateException} or a core {@code CodecException}: 500.
 */
public interface ServingReads extends Closeable {
  /**
   * The meta state lookups use: the served batch pointer and the speed layer's mark. May be up
   * to about one refresh period old, so lookups need not wait for meta; one lookup uses one
   * state throughout, so it reads one whole batch version.
   */
  ServingState state() throws IOException;

  /** The meta state read now (for {@code /v1/status}). */
  ServingState freshState() throws IOException;

  /** One key's merged series in {@code [from, to)}, at most {@code maxBuckets} rows, with its coverage. */
  default SeriesRead series(ServingState state, ViewDefinition view, List<String> dimensions, Granularity g, long from,
                            long to, int maxBuckets) throws IOException {
    return series(state, view, dimensions, g, from, to, maxBuckets, false);
  }

  /** As {@link #series(ServingState, ViewDefinition, List, Granularity, long, long, int)}, with the realtime part when asked. */
  default SeriesRead series(ServingState state, ViewDefinition view, List<String> dimensions, Granularity g, long from,
                            long to, int maxBuckets, boolean realtimePart) throws IOException {
    SeriesReads r = seriesOfKeys(state, view, List.of(dimensions), g, from, to, maxBuckets, realtimePart);
    if (r.overLimit()) {
      throw new IllegalStateException("one key in a range of at most " + maxBuckets + " buckets has more rows");
    }
    return new SeriesRead(r.rows().get(0), r.pointer(), r.speedEpochs(),
        realtimePart ? r.realtimeParts().get(0) : null);
  }

  /**
   * Several keys' merged series in {@code [from, to)} against one state, with one coverage:
   * one read per table for all the keys. At most {@code maxRows} rows are read from each table;
   * beyond that the answer is {@link SeriesReads#overLimit()}.
   */
  default SeriesReads seriesOfKeys(ServingState state, ViewDefinition view, List<List<String>> keys, Granularity g,
                                   long from, long to, int maxRows) throws IOException {
    return seriesOfKeys(state, view, keys, g, from, to, maxRows, false);
  }

  /**
   * As {@link #seriesOfKeys(ServingState, ViewDefinition, List, Granularity, long, long, int)};
   * with {@code realtimeParts}, each key's share of the realtime cells alone too (a dashboard
   * tells the batch and realtime parts of a chart apart with it).
   */
  SeriesReads seriesOfKeys(ServingState state, ViewDefinition view, List<List<String>> keys, Granularity g, long from,
                           long to, int maxRows, boolean realtimeParts) throws IOException;

  /**
   * At most {@code limit} attribution rows of one model of a batch version with day in
   * {@code [fromDay, toDay]} (inclusive): a bounded read.
   */
  List<AttributionRow> attribution(String version, String model, String fromDay, String toDay, int limit)
      throws IOException;

  /** The arrival-epoch chain, or null before the first epoch. */
  EpochChain epochChain() throws IOException;

  /** The speed layer's progress. */
  EpochStore.SpeedProgress speedProgress() throws IOException;

  /** The last batch cycle's report (the one running, else the last that ended); empty when none ran. */
  java.util.Optional<org.lambdadist.storage.hbase.CycleReport> lastCycle() throws IOException;

  /** The latest reconciliation of the speed layer's cells with the batch that took them over; empty when none ran. */
  java.util.Optional<org.lambdadist.core.reconcile.ReconciliationReport> latestReconciliation() throws IOException;
}
