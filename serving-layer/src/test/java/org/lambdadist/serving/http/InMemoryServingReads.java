package org.lambdadist.serving.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.merge.ViewMerge;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.SeriesRead;
import org.lambdadist.storage.hbase.SeriesReads;
import org.lambdadist.storage.hbase.ServingState;

/** {@link ServingReads} over plain maps, merged with core's {@link ViewMerge} as the HBase store does. */
class InMemoryServingReads implements ServingReads {
  ServingState state = new ServingState(null, -1);
  final Map<ViewKey, RowAggregate> batch = new HashMap<>();
  final Map<ViewKey, Map<Long, RowAggregate>> realtime = new HashMap<>();
  final Map<String, List<AttributionRow>> attribution = new HashMap<>(); // by version + "/" + model
  EpochChain chain;
  EpochStore.SpeedProgress progress = EpochStore.SpeedProgress.NONE;
  org.lambdadist.storage.hbase.CycleReport cycle;
  org.lambdadist.core.reconcile.ReconciliationReport reconciliation;
  /** When set, every read throws it (a store that is away). */
  IOException failure;
  /** When set, every read throws it (a store that contradicts itself). */
  RuntimeException inconsistency;
  int seriesReads;

  void serve(String version, long firstEpoch, long lastEpoch, String viewsJson) {
    state = new ServingState(new BatchPointer(version, firstEpoch, lastEpoch, viewsJson, "2026-11-30T00:00:00Z",
        null, -1, -1, null), state.realtimeMaxEpoch());
  }

  void markRealtime(long epoch) {
    state = new ServingState(state.pointer(), Math.max(epoch, state.realtimeMaxEpoch()));
  }

  private void check() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (inconsistency != null) {
      throw inconsistency;
    }
  }

  @Override
  public ServingState state() throws IOException {
    check();
    return state;
  }

  @Override
  public ServingState freshState() throws IOException {
    return state();
  }

  @Override
  public SeriesReads seriesOfKeys(ServingState s, ViewDefinition view, List<List<String>> keys, Granularity g, long from,
                                  long to, int maxRows, boolean realtimeParts) throws IOException {
    check();
    seriesReads++;
    List<NavigableMap<Long, RowAggregate>> rows = new ArrayList<>();
    List<NavigableMap<Long, RowAggregate>> parts = new ArrayList<>();
    TreeSet<Long> speedEpochs = new TreeSet<>();
    int total = 0;
    for (List<String> key : keys) {
      SeriesRead one = one(s, view, key, g, from, to, Integer.MAX_VALUE);
      total += one.rows().size();
      rows.add(one.rows());
      if (realtimeParts) {
        parts.add(one.realtimePart());
      }
      speedEpochs.addAll(one.speedEpochs());
    }
    if (total > maxRows) {
      return new SeriesReads(List.of(), s.pointer(), List.of(), true);
    }
    return new SeriesReads(rows, s.pointer(), new ArrayList<>(speedEpochs), false, parts);
  }

  private SeriesRead one(ServingState s, ViewDefinition view, List<String> dimensions, Granularity g, long from, long to,
                         int maxBuckets) {
    Map<Long, RowAggregate> b = new HashMap<>();
    Map<Long, Map<Long, RowAggregate>> r = new HashMap<>();
    TreeSet<Long> speedEpochs = new TreeSet<>();
    long covered = s.pointer() == null ? -1 : s.pointer().lastEpoch();
    for (long t = g.bucketStart(from) < from ? g.nextBucketStart(from) : from; t < to; t += g.sizeMillis()) {
      ViewKey k = new ViewKey(view.name(), dimensions, g, t);
      if (s.pointer() != null && batch.containsKey(k)) {
        b.put(t, batch.get(k));
      }
      if (s.realtimeAfterBatch() && realtime.containsKey(k)) {
        r.put(t, realtime.get(k));
        realtime.get(k).keySet().stream().filter(e -> e > covered).forEach(speedEpochs::add);
      }
    }
    NavigableMap<Long, RowAggregate> merged = new TreeMap<>(ViewMerge.mergeSeries(view.metrics(), b, r, covered));
    while (merged.size() > maxBuckets) {
      merged.pollLastEntry();
    }
    return new SeriesRead(merged, s.pointer(), new ArrayList<>(speedEpochs),
        new TreeMap<>(ViewMerge.mergeSeries(view.metrics(), Map.of(), r, covered)));
  }

  @Override
  public List<AttributionRow> attribution(String version, String model, String fromDay, String toDay, int limit)
      throws IOException {
    check();
    return attribution.getOrDefault(version + "/" + model, List.of()).stream()
        .filter(a -> a.day().compareTo(fromDay) >= 0 && a.day().compareTo(toDay) <= 0).limit(limit).toList();
  }

  @Override
  public java.util.Optional<org.lambdadist.storage.hbase.CycleReport> lastCycle() throws IOException {
    check();
    return java.util.Optional.ofNullable(cycle);
  }

  @Override
  public java.util.Optional<org.lambdadist.core.reconcile.ReconciliationReport> latestReconciliation()
      throws IOException {
    check();
    return java.util.Optional.ofNullable(reconciliation);
  }

  @Override
  public EpochChain epochChain() throws IOException {
    check();
    return chain;
  }

  @Override
  public EpochStore.SpeedProgress speedProgress() throws IOException {
    check();
    return progress;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
